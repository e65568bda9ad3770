"""Forms of the call part: the call (staff), the file (applicant), instruction (staff)."""

import hashlib
import json
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.forms import formset_factory, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ess_metro.concurrency import VersionedFormMixin
from ess_metro.directory.models import Commune, EssFamily, Organisation
from ess_metro.forms import ISO_DATETIME, DateInput, DateTimeInput
from programme.models import ProgrammeLine
from projects.models import (
    MAX_SCORE,
    Application,
    Call,
    CommitteeOpinion,
    EconomicDiagnosis,
    RequiredDocument,
    SelectionCriterion,
)

from . import rules
from .totals import envelope_totals


class AmountField(forms.DecimalField):
    """An amount in euros typed the French way: "16 800,50", "16800.5" or "16 800 €"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.replace("€", "").split())
        return super().to_python(value)


class CallForm(VersionedFormMixin, forms.ModelForm):
    accepted_families = forms.MultipleChoiceField(
        label=_("accepted ESS legal families"),
        choices=EssFamily.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to accept every ESS legal family."),
    )

    class Meta:
        model = Call
        fields = [
            "year",
            "title",
            "slug",
            "summary",
            "text",
            "opens_at",
            "closes_at",
            "aid_cap",
            "max_share",
            "envelope",
            "programme_line",
            "accepted_families",
            "min_communes",
        ]
        field_classes = {"aid_cap": AmountField, "envelope": AmountField}
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [ISO_DATETIME, "%Y-%m-%d %H:%M"]
        in_force = ProgrammeLine.objects.in_force().values("pk")
        self.fields["programme_line"].queryset = (
            ProgrammeLine.objects.filter(Q(pk__in=in_force) | Q(pk=self.instance.programme_line_id))
            .select_related("programme")
            .order_by("programme__year", "position", "pk")
        )
        self.fields["programme_line"].label_from_instance = lambda line: line.choice_label


CriterionFormSet = inlineformset_factory(
    Call,
    SelectionCriterion,
    fields=["position", "title", "description", "weight"],
    extra=2,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
)
RequiredDocumentFormSet = inlineformset_factory(
    Call,
    RequiredDocument,
    fields=["position", "title", "description", "mandatory"],
    extra=2,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
)


class ApplicationStartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation carrying the project"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Project title"), max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(memberships__user=user).order_by("name")
        self.fields["organisation"].queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:  # nothing to choose: the person's one organisation is chosen
            self.fields["organisation"].initial = only[0].pk
            self.fields["organisation"].empty_label = None


class ApplicationForm(VersionedFormMixin, forms.ModelForm):
    """Every section of the file; nothing is mandatory until submission."""

    SECTIONS = [
        (_("The project"), ["title", "summary"]),
        (_("Social need and innovation"), ["social_need", "innovation", "expected_results"]),
        (_("Partners"), ["partner_organisations", "partners"]),
        (_("Communes reached"), ["whole_agglomeration", "communes"]),
        (_("Calendar"), ["start_date", "end_date", "schedule"]),
        (_("Contact"), ["contact_name", "contact_email", "contact_phone"]),
    ]

    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "social_need",
            "innovation",
            "expected_results",
            "partner_organisations",
            "partners",
            "whole_agglomeration",
            "communes",
            "start_date",
            "end_date",
            "schedule",
            "requested_amount",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        field_classes = {"requested_amount": AmountField}
        widgets = {
            "communes": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "social_need": forms.Textarea(attrs={"rows": 4}),
            "innovation": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "partner_organisations": forms.SelectMultiple(
                attrs={"size": 8, "data-filter-label": _("Search the organisations by name")}
            ),
            "schedule": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = Commune.objects.order_by("name")
        partners = self.fields["partner_organisations"]
        # Registered organisations are public by name. The lead stays in the list so that
        # choosing it gets a clear message rather than "not a valid choice".
        partners.queryset = Organisation.objects.order_by("name")
        partners.help_text = _(
            "Registered organisations taking part in the project. Hold Ctrl (Cmd on a Mac) "
            "or use Shift with the arrow keys to choose several; type the first letters of a "
            "name to reach it."
        )
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_partner_organisations(self):
        partners = self.cleaned_data.get("partner_organisations")
        if partners and self.instance.organisation_id in {partner.pk for partner in partners}:
            raise forms.ValidationError(
                _("The lead organisation cannot also be one of its own partners.")
            )
        return partners

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class BudgetLineForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    amount = AmountField(
        label=_("Amount (€)"),
        required=False,
        min_value=Decimal("0"),
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
    )
    secured = forms.BooleanField(
        label=_("Secured"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=3)
BUDGET_PREFIXES = ("expense", "income")


def budget_formsets(application, data=None):
    """The expense and co-financing rows, pre-filled from the saved lines plus blank rows."""
    result = []
    for prefix, lines in zip(
        BUDGET_PREFIXES, (application.expense_lines, application.income_lines), strict=True
    ):
        initial = [
            {"label": line.label, "amount": line.amount, "secured": line.secured} for line in lines
        ]
        result.append(BudgetLineFormSet(data=data, prefix=prefix, initial=initial))
    return result


def draft_fingerprint(data, version: int | None = None) -> str:
    """A digest of what a POST of the edit page holds for the file's fields and budget rows,
    without the CSRF token, the version or the button pressed: two POSTs with the same
    fingerprint save the same draft. With ``version``, the form stored on the file
    (``Application.draft_fingerprint``): "<version>:<digest>"."""
    names = set(ApplicationForm.base_fields)
    rows = tuple(f"{prefix}-" for prefix in BUDGET_PREFIXES)
    posted = ((key, _values(data, key)) for key in data if key in names or key.startswith(rows))
    items = sorted((key, [str(v) for v in values]) for key, values in posted if values)
    digest = hashlib.sha256(json.dumps(items).encode()).hexdigest()  # [] is not posted: left out
    return digest if version is None else f"{version}:{digest}"


def _values(data, key) -> list:
    if hasattr(data, "getlist"):  # a QueryDict
        return data.getlist(key)
    value = data[key]
    return list(value) if isinstance(value, list | tuple) else [value]


class AttachmentForm(forms.Form):
    required_document = forms.ModelChoiceField(
        label=_("Document"), queryset=RequiredDocument.objects.none()
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image (JPEG, PNG) or office document; 10 MB at most."),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_document"].queryset = call.required_documents.all()


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    prefix = "request"
    comment = forms.CharField(
        label=_("What is needed (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EligibilityForm(forms.Form):
    prefix = "eligibility"
    eligible = forms.TypedChoiceField(
        label=_("Eligibility"),
        choices=[("1", _("Eligible")), ("0", _("Ineligible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("eligible") is False and not data.get("comment"):
            self.add_error("comment", _("Explain why the file is ineligible."))
        return data


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = EconomicDiagnosis
        fields = [
            "financial_analysis",
            "risks",
            "recommendation",
            "proposed_amount",
            "private_notes",
        ]
        field_classes = {"proposed_amount": AmountField}
        widgets = {
            "financial_analysis": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.criteria = list(application.call.criteria.all())
        existing = {}
        if self.instance.pk:
            existing = {score.criterion_id: score for score in self.instance.scores.all()}
        choices = [("", "—")] + [(str(n), str(n)) for n in range(MAX_SCORE + 1)]
        for criterion in self.criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s): score out of %(max)s")
                % {"criterion": criterion.title, "weight": criterion.weight, "max": MAX_SCORE},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=score.score if score else "",
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=500,
                initial=score.comment if score else "",
            )

    def clean_proposed_amount(self):
        amount = self.cleaned_data.get("proposed_amount")
        call = self.application.call
        if amount is not None and amount > call.aid_cap:
            raise forms.ValidationError(
                _("The proposed amount cannot be above the cap of the call.")
            )
        return amount

    def scores(self):
        return {
            criterion: (
                self.cleaned_data.get(f"score_{criterion.pk}"),
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }

    def model_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CommitteeOpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Committee opinion"), choices=CommitteeOpinion.choices)
    date = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    text = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("granted", _("Granted")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
    )
    granted_amount = AmountField(
        label=_("Granted amount (€)"), required=False, min_value=Decimal("0.01")
    )
    decision_conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    deliberation_reference = forms.CharField(
        label=_("Council deliberation reference"), max_length=100
    )
    deliberation_date = forms.DateField(label=_("Council deliberation date"), widget=DateInput())

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        data = super().clean()
        amount = data.get("granted_amount")
        if data.get("outcome") == "granted":
            if amount is None:
                if "granted_amount" not in self.errors:
                    self.add_error("granted_amount", _("Give the granted amount."))
            else:
                remaining = envelope_totals(self.application.call)["remaining"]
                for problem in rules.grant_errors(
                    amount,
                    aid_cap=self.application.call.aid_cap,
                    requested=self.application.requested_amount,
                    remaining=remaining,
                ):
                    self.add_error("granted_amount", problem)
        elif data.get("outcome") == "refused" and not data.get("decision_reasons"):
            self.add_error("decision_reasons", _("Give the reasons for the refusal."))
        return data
