from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ess_metro.accounts.models import User
from ess_metro.concurrency import VersionedFormMixin
from ess_metro.directory.models import Commune, Organisation
from ess_metro.forms import ISO_DATETIME, DateInput, DateTimeInput
from ess_metro.money import ZERO
from ess_metro.uploads import validate_size, validate_upload
from programme.models import ProgrammeLine

from .models import (
    CommunicationStrategy,
    Dataset,
    DatasetFormat,
    Event,
    EventKind,
    GroupMeeting,
    NewsItem,
    StrategyAction,
    WorkingGroup,
)


def https_urls(db_field, **kwargs):
    """Addresses typed without a scheme are read as https://."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


def orientation_one_lines(keep=None):
    """The lines of orientation 1 in the version in force of each year (and ``keep``, the line
    the object already has), labelled with their version when the year has several."""
    in_force = ProgrammeLine.objects.in_force().values("pk")
    return (
        ProgrammeLine.objects.filter(axis__orientation__number=1)
        .filter(Q(pk__in=in_force) | Q(pk=keep))
        .select_related("programme", "axis__orientation")
        .order_by("-programme__year", "axis__number", "position", "pk")
    )


def use_line_choices(form) -> None:
    form.fields["programme_line"].queryset = orientation_one_lines(form.instance.programme_line_id)
    form.fields["programme_line"].label_from_instance = lambda line: line.choice_label


class EventProposalForm(VersionedFormMixin, forms.ModelForm):
    """What a member organisation tells about its event; staff check and publish it."""

    class Meta:
        model = Event
        formfield_callback = https_urls
        fields = [
            "title",
            "organiser",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "commune",
            "audience",
            "registration_url",
            "capacity",
            "mois_ess",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [ISO_DATETIME, "%d/%m/%Y %H:%M"]
        if organisations is not None:
            self.fields["organiser"].queryset = organisations
        self.fields["commune"].queryset = Commune.objects.order_by("name")


class EventForm(EventProposalForm):
    """Staff edit every field, including the programme line that pays for the event."""

    class Meta(EventProposalForm.Meta):
        fields = [*EventProposalForm.Meta.fields, "programme_line", "budget"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, organisations=Organisation.objects.order_by("name"), **kwargs)
        use_line_choices(self)
        self.fields["budget"].required = False

    def clean_budget(self):
        return self.cleaned_data.get("budget") or ZERO


class AgendaFilterForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All communes"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
    mois = forms.BooleanField(label=_("Mois de l'ESS only"), required=False)


class NewsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = NewsItem
        formfield_callback = https_urls
        fields = ["title", "text", "published_on", "event", "call_url", "programme_year"]
        widgets = {"published_on": DateInput(), "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.published().order_by("-starts_at")
        # No hidden copy of today's date: Django would give it the field's aria-describedby,
        # which the HTML standard forbids on a hidden input.
        self.fields["published_on"].show_hidden_initial = False


class WorkingGroupForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "mandate", "members"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["members"].widget.attrs["size"] = 10


class GroupMeetingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = GroupMeeting
        fields = ["date", "place", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 5})}


class StrategyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CommunicationStrategy
        fields = ["year", "title", "summary", "working_group", "document"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            validate_upload(document)
        return document


class StrategyActionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = StrategyAction
        fields = ["title", "description", "starts_on", "ends_on", "budget", "programme_line"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_line_choices(self)


class DatasetForm(VersionedFormMixin, forms.ModelForm):
    """The description of a dataset: what it is, where it comes from, under which licence."""

    class Meta:
        model = Dataset
        formfield_callback = https_urls
        fields = ["title", "description", "source", "source_url", "licence", "data_date"]
        widgets = {"data_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class DatasetImportForm(VersionedFormMixin, forms.ModelForm):
    year = forms.IntegerField(
        label=_("Year of the figures"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Required for a Sirene extract (the file has no year column)."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Semicolon or comma separated, UTF-8 or Windows encoding."),
        validators=[validate_size],
    )

    class Meta(DatasetForm.Meta):
        fields = [
            "title",
            "description",
            "format",
            "source",
            "source_url",
            "licence",
            "data_date",
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
                }
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Send a CSV file (.csv)."))
        upload.seek(0)
        if b"\x00" in upload.read(4096):
            raise forms.ValidationError(_("This file is not a text CSV file."))
        upload.seek(0)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == DatasetFormat.SIRENE and not cleaned.get("year"):
            self.add_error("year", _("Give the year of the figures of a Sirene extract."))
        return cleaned
