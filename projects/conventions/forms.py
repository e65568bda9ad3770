"""Forms of structuring projects, conventions, payments and reports."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from ess_metro.accounts import two_factor
from ess_metro.concurrency import VersionedFormMixin
from ess_metro.directory.models import Commune, Organisation
from ess_metro.formatting import number_plain
from ess_metro.forms import DateInput
from ess_metro.uploads import validate_upload
from programme.models import ProgrammeLine

from . import rules, services
from .models import (
    MAX_CONVENTION_YEARS,
    Convention,
    ConventionStatus,
    Payment,
    PaymentKind,
    StructuringProject,
)


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year - 4, this_year + 5)]


class StructuringProjectForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = StructuringProject
        fields = [
            "title",
            "carrier",
            "partners",
            "theme",
            "competence",
            "summary",
            "objectives",
            "whole_metro",
            "communes",
            "status",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "communes": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = Organisation.objects.order_by("name")
        self.fields["partners"].queryset = Organisation.objects.order_by("name")
        self.fields["communes"].queryset = Commune.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        carrier = cleaned.get("carrier")
        partners = cleaned.get("partners")
        if carrier and partners and carrier in partners:
            self.add_error("partners", _("The carrier organisation cannot also be a partner."))
        if not cleaned.get("whole_metro") and not cleaned.get("communes"):
            self.add_error(
                "communes",
                _("Choose the communes the project reaches, or tick “reaches the whole Métro”."),
            )
        return cleaned


DE_MINIMIS_HTMX = {
    "data-hx-get": reverse_lazy("projects:de_minimis_check"),
    "data-hx-trigger": "change",
    "data-hx-target": "#de-minimis",
    "data-hx-swap": "outerHTML",
    "data-hx-include": "[name=beneficiary],[name=amount_granted],[name=sieg]",
    # Typing the amount then ticking « SIEG » sends two requests: the later one replaces the
    # one still running, so the hint always shows the last state of the three fields.
    "data-hx-sync": "closest form:replace",
}


def _indicators_text(convention) -> str:
    """The convention's indicators, one a line: label; unit; yearly target."""
    return "\n".join(
        "; ".join(
            part
            for part in (
                indicator.label,
                indicator.unit,
                "" if indicator.target is None else f"{indicator.target:g}",
            )
        ).rstrip("; ")
        for indicator in convention.indicators.all()
    )


class ConventionForm(VersionedFormMixin, forms.ModelForm):
    """The convention's own fields; tranches come from ``TrancheFormSet``."""

    indicators_text = forms.CharField(
        label=_("Indicators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One indicator per line: label; unit; yearly target. For example: "
            "“People in integration jobs; people; 12”."
        ),
    )

    class Meta:
        model = Convention
        fields = [
            "title",
            "beneficiary",
            "structuring_project",
            "parties",
            "objectives",
            "evaluation",
            "start_year",
            "end_year",
            "amount_granted",
            "written_agreement",
            "sieg",
        ]
        widgets = {
            "parties": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = Organisation.objects.order_by("name")
        self.fields["structuring_project"].queryset = StructuringProject.objects.select_related(
            "carrier"
        ).order_by("title")
        self.fields["parties"].required = False
        self.fields["parties"].help_text = _(
            "Leave empty to use the Métro and the beneficiary, represented by their legal "
            "representatives."
        )
        for name in ("beneficiary", "amount_granted", "sieg"):
            self.fields[name].widget.attrs.update(DE_MINIMIS_HTMX)
        self.fields["start_year"].widget = forms.Select(choices=_year_choices())
        self.fields["end_year"].widget = forms.Select(choices=_year_choices())
        if self.instance.pk:
            self.initial.setdefault("indicators_text", _indicators_text(self.instance))
            if not self.instance.is_draft:
                for name in ("start_year", "end_year", "amount_granted", "beneficiary"):
                    self.fields[name].disabled = True

    def clean_indicators_text(self):
        indicators = []
        for number, line in enumerate(self.cleaned_data["indicators_text"].splitlines(), 1):
            parts = [part.strip() for part in line.split(";")]
            if not parts[0]:
                continue
            target = None
            if len(parts) > 2 and parts[2]:
                try:
                    target = Decimal(parts[2].replace(",", ".").replace(" ", ""))
                except InvalidOperation as error:
                    raise ValidationError(
                        _("Line %(number)s: the target “%(target)s” is not a number.")
                        % {"number": number, "target": parts[2]}
                    ) from error
            indicators.append(
                {
                    "label": parts[0][:200],
                    "unit": parts[1][:30] if len(parts) > 1 else "",
                    "target": target,
                }
            )
        return indicators

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end:
            try:
                rules.check_years(start, end)
            except ValidationError as error:
                self.add_error("end_year", error)
        return cleaned


class TrancheForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])
    amount = forms.DecimalField(
        label=_("Amount (€)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    programme_line = forms.ModelChoiceField(
        label=_("Programme line"),
        queryset=ProgrammeLine.objects.none(),
    )

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "—"), *_year_choices()]
        self.fields["programme_line"].queryset = lines if lines is not None else tranche_lines()
        self.fields["programme_line"].label_from_instance = lambda line: line.choice_label

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        if year and not cleaned.get("programme_line") and "programme_line" in self.errors:
            years = {line.programme.year for line in self.fields["programme_line"].queryset}
            if year not in years:
                self.errors["programme_line"] = self.error_class(
                    [
                        _(
                            "There is no %(year)s annual programme with a line yet: a tranche "
                            "is funded by a line of its year's programme. Create the %(year)s "
                            "programme and its line first, then come back to this year."
                        )
                        % {"year": year}
                    ]
                )
        return cleaned


def tranche_lines(keep=()):
    """The lines a tranche may be funded by: those of the version in force of each year (and
    ``keep``, the lines the tranches already have)."""
    return (
        ProgrammeLine.objects.filter(
            Q(pk__in=ProgrammeLine.objects.in_force().values("pk")) | Q(pk__in=list(keep))
        )
        .select_related("programme")
        .order_by("programme__year", "programme__version", "position", "pk")
    )


class BaseTrancheFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = [row.get("programme_line") for row in (self.initial or []) if row]
        self.lines = tranche_lines(
            keep=[getattr(line, "pk", line) for line in kept if line is not None]
        )

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["lines"] = self.lines
        return kwargs

    def specs(self) -> list[services.TrancheSpec]:
        return [
            services.TrancheSpec(
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
                programme_line=form.cleaned_data["programme_line"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


TrancheFormSet = forms.formset_factory(
    TrancheForm,
    formset=BaseTrancheFormSet,
    extra=3,
    min_num=1,
    max_num=MAX_CONVENTION_YEARS,
    validate_min=True,
    validate_max=True,
)


def tranche_initial(convention: Convention | None) -> list[dict]:
    if convention is None or not convention.pk:
        return []
    return [
        {"year": t.year, "amount": t.amount, "programme_line": t.programme_line_id}
        for t in convention.tranches.all()
    ]


class AmendmentForm(forms.Form):
    """What an amendment changes; the new yearly tranches come from ``TrancheFormSet``."""

    reason = forms.CharField(
        label=_("Purpose of the amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the convention changes: extension, new action, lower activity…"),
    )
    end_year = forms.IntegerField(label=_("New last year"), widget=forms.Select)
    objectives = forms.CharField(
        label=_("New objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to keep the objectives of the convention."),
    )

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.fields["end_year"].widget.choices = [
            (year, str(year))
            for year in range(convention.start_year, convention.start_year + MAX_CONVENTION_YEARS)
        ]
        self.fields["end_year"].help_text = _(
            "A convention lasts from 1 to 4 years: at the latest %(year)s."
        ) % {"year": convention.start_year + MAX_CONVENTION_YEARS - 1}

    def clean_end_year(self):
        end_year = self.cleaned_data["end_year"]
        try:
            rules.check_years(self.convention.start_year, end_year)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return end_year


def amendment_tranche_initial(amendment=None, convention=None) -> list[dict]:
    source = amendment.tranches.all() if amendment is not None else convention.tranches.all()
    return [
        {"year": t.year, "amount": t.amount, "programme_line": t.programme_line_id} for t in source
    ]


class AmendmentSignForm(forms.Form):
    signature_date = forms.DateField(label=_("Signature date"), widget=DateInput())

    def clean_signature_date(self):
        value = self.cleaned_data["signature_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The signature date cannot be in the future."))
        return value


class BankDetailsForm(forms.Form):
    """The bank details, and the person's identity confirmed again: their second factor when
    they have one, their password otherwise (wrong passwords count towards the lock)."""

    account_holder = forms.CharField(label=_("Account holder"), max_length=200)
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(label=_("BIC"), max_length=20, required=False)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        if two_factor.has_second_factor(user):
            self.fields["otp_code"] = forms.CharField(
                label=_("Code from your authenticator app (to confirm it is you)"),
                max_length=20,
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )
        else:
            self.fields["password"] = forms.CharField(
                label=_("Your password (to confirm it is you)"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )

    def clean_otp_code(self):
        if two_factor.verify_token(user=self.user, token=self.cleaned_data["otp_code"]) is None:
            raise ValidationError(_("This code is not valid. Check it and try again."))
        return ""

    def clean_password(self):
        user = authenticate(
            self.request, username=self.user.email, password=self.cleaned_data["password"]
        )
        if user is None or user.pk != self.user.pk:
            raise ValidationError(_("This password is not right."))
        return ""

    def bank_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("account_holder", "iban", "bic")}

    def clean_iban(self):
        try:
            iban = IBAN(self.cleaned_data["iban"])
        except SchwiftyException as error:
            raise ValidationError(
                _("This IBAN is not valid: check the country code, the length and the key.")
            ) from error
        return iban.compact

    def clean_bic(self):
        value = self.cleaned_data["bic"].strip()
        if not value:
            return ""
        try:
            return BIC(value).compact
        except SchwiftyException as error:
            raise ValidationError(
                _("This BIC is not valid: 8 or 11 letters and digits.")
            ) from error

    def clean(self):
        cleaned = super().clean()
        iban = cleaned.get("iban")
        if iban and not cleaned.get("bic") and "bic" not in self.errors:
            bic = IBAN(iban).bic
            if bic is None:
                self.add_error("bic", _("Give the BIC of the bank."))
            else:
                cleaned["bic"] = bic.compact
        return cleaned


class ConventionTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=ConventionStatus.choices)
    signature_date = forms.DateField(
        label=_("Signature date"),
        required=False,
        widget=DateInput(),
    )
    comment = forms.CharField(
        label=_("Comment (reason for a termination)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["tranche", "kind", "condition", "due_date", "amount"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.fields["tranche"].queryset = convention.tranches.all()
        self.fields["tranche"].label = _("Year")
        self.fields["tranche"].label_from_instance = lambda tranche: str(tranche.year)
        self.fields["kind"].choices = PaymentKind.choices

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for name, value in cleaned.items():
            setattr(self.instance, name, value)
        try:
            services.check_payment_amount(self.instance)
        except ValidationError as error:
            self.add_error("amount", error)
        return cleaned


class PaymentPayForm(forms.Form):
    paid_date = forms.DateField(label=_("Payment date"), widget=DateInput())
    accounting_reference = forms.CharField(label=_("Accounting reference"), max_length=60)

    def clean_paid_date(self):
        value = self.cleaned_data["paid_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The payment date cannot be in the future."))
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    activity_report = forms.CharField(
        label=_("Activity report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done during the year, against the objectives of the convention."),
    )
    financial_report = forms.CharField(
        label=_("Financial report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the grant was used: expenses, co-financing, differences from the budget."),
    )
    expenses = forms.DecimalField(
        label=_("Expenses of the year (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("Signed financial report, activity report, accounts (PDF, office documents)."),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        values = {value.indicator_id: value.value for value in report.indicator_values.all()}
        self.indicators = list(report.convention.indicators.all())
        for indicator in self.indicators:
            label = indicator.label
            if indicator.unit:
                label = f"{label} ({indicator.unit})"
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=label,
                max_digits=12,
                decimal_places=2,
                initial=values.get(indicator.pk),
                help_text=(
                    _("Target: %(target)s") % {"target": number_plain(indicator.target)}
                    if indicator.target is not None
                    else ""
                ),
            )

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        for upload in files:
            validate_upload(upload)
        return files

    def indicator_values(self) -> dict:
        return {
            indicator: self.cleaned_data.get(f"indicator_{indicator.pk}")
            for indicator in self.indicators
        }


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the report")), ("more", _("Ask for more"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the beneficiary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "more" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what is missing from the report."))
        return cleaned
