import datetime

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ess_metro.concurrency import VersionedFormMixin
from ess_metro.directory.models import Organisation
from ess_metro.forms import DateInput

from .models import (
    AnnualProgramme,
    Axis,
    DevelopmentTool,
    Indicator,
    ProgrammeLine,
    ProgrammeStatus,
    ToolEndowment,
    ToolSupport,
)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=2009, max_value=2100, **kwargs)


class ProgrammeCreateForm(forms.Form):
    year = YearField(label=_("Year"))
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class ProgrammeCopyForm(forms.Form):
    year = YearField(
        label=_("Year of the new programme"),
        help_text=_("The programme of the year before is copied as a starting point."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class ProgrammeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualProgramme
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}


class EvaluationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualProgramme
        fields = ["evaluation_summary"]
        widgets = {"evaluation_summary": forms.Textarea(attrs={"rows": 8})}


class TransitionForm(forms.Form):
    """One step of the workflow; the deliberation is asked for the council's adoption."""

    to_status = forms.ChoiceField(label=_("New status"), choices=ProgrammeStatus.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deliberation_reference = forms.CharField(
        label=_("Council deliberation reference"),
        max_length=255,
        required=False,
        help_text=_("For example: DEL-2026-0142."),
    )
    deliberation_date = forms.DateField(
        label=_("Council deliberation date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean(self):
        from .services import transition_to

        data = super().clean()
        if self.programme is not None and data.get("to_status"):
            transition_to(self.programme, data["to_status"])
        if data.get("to_status") == ProgrammeStatus.ADOPTED:
            if not (data.get("deliberation_reference") or "").strip():
                self.add_error(
                    "deliberation_reference",
                    _("Give the reference of the council deliberation that adopted it."),
                )
            if not data.get("deliberation_date"):
                self.add_error("deliberation_date", _("Give the date of the council deliberation."))
            elif data["deliberation_date"] > timezone.localdate():
                self.add_error(
                    "deliberation_date", _("The deliberation date cannot be in the future.")
                )
        return data


class LineForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeLine
        fields = ["axis", "title", "description", "beneficiary", "planned_amount", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = Axis.objects.filter(
            orientation__plan_id=programme.plan_id
        ).select_related("orientation")
        self.fields["beneficiary"].queryset = Organisation.objects.order_by("name")
        self.fields["planned_amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    """In a draft: what is measured and its target."""

    class Meta:
        model = Indicator
        fields = ["label", "unit", "target", "position"]
        labels = {"position": pgettext_lazy("order in a list", "Order")}
        help_texts = {"position": _("Indicators are listed by this number, smallest first.")}


class IndicatorResultForm(VersionedFormMixin, forms.ModelForm):
    """Once published: what was achieved."""

    class Meta:
        model = Indicator
        fields = ["actual", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}

    def clean_actual(self):
        actual = self.cleaned_data.get("actual")
        if actual is None:
            raise forms.ValidationError(_("Give the value achieved."))
        return actual


class ToolForm(VersionedFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = DevelopmentTool
        fields = [
            "name",
            "slug",
            "kind",
            "operator",
            "summary",
            "description",
            "website",
            "started_on",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "started_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Organisation.objects.order_by("name")
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The end of the public page's address, such as “dla-isere”; "
            "made from the name when left empty."
        )

    def clean_slug(self):
        return self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:120]


class EndowmentForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ToolEndowment
        fields = ["year", "line", "amount", "paid_amount", "decision_date", "comment"]
        widgets = {"decision_date": DateInput(), "comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, tool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.tool = tool
        self.fields["line"].queryset = (
            ProgrammeLine.objects.filter(axis__code=tool.kind)
            .select_related("programme")
            .order_by("-programme__year", "-programme__version", "position")
        )
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.programme.year} v{line.programme.version} — {line.title}"
        )
        self.fields["year"].initial = timezone.localdate().year


class SupportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ToolSupport
        fields = ["organisation", "date", "kind_of_support", "amount", "jobs_concerned", "comment"]
        widgets = {"date": DateInput(), "comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, tool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.tool = tool
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        if not self.instance.pk:
            self.fields["date"].initial = datetime.date.today
