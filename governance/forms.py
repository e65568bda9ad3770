from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ess_metro.concurrency import VersionedFormMixin
from ess_metro.forms import DateInput
from ess_metro.uploads import validate_upload

from . import selectors
from .models import (
    AgendaItem,
    Mandate,
    Meeting,
    MeetingStatus,
    Outcome,
    Presence,
    Reply,
    VoteChoice,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class UploadField(forms.FileField):
    def validate(self, value):
        super().validate(value)
        if value:
            validate_upload(value)


class MandateForm(VersionedFormMixin, forms.ModelForm):
    email = forms.EmailField(
        label=_("E-mail of the person"),
        help_text=_("If nobody has an account with this address, one is created and invited."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta:
        model = Mandate
        fields = ["email", "first_name", "last_name", *Mandate.SEAT_FIELDS]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        running = Mandate.objects.holders().active()
        if self.instance.holder_id:
            running = running | Mandate.objects.filter(pk=self.instance.holder_id)
        self.fields["holder"].queryset = running.select_related("person", "college").order_by(
            "college__number", "category", "person__last_name"
        )
        self.fields["holder"].label_from_instance = lambda mandate: (
            f"{mandate.person} — {mandate.get_category_display()} ({mandate.college})"
        )
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.order_by("name")
        self.fields["organisation"].required = True
        if self.instance.pk:
            # The person of an existing mandate does not change: end it and create another.
            for name in ("email", "first_name", "last_name"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not self.instance.pk:
            from ess_metro.accounts.models import User

            if not User.objects.filter(email__iexact=email).exists() and not (
                cleaned.get("first_name") and cleaned.get("last_name")
            ):
                raise ValidationError(
                    _("This person has no account yet: give their first and last names.")
                )
        return cleaned


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["key_moment", "year", "title", "date", "start_time", "end_time", "place"]
        widgets = {"date": DateInput(), "start_time": TIME, "end_time": TIME}


class AgendaItemForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "start_time",
            "end_time",
            "topic",
            "description",
            "orientation",
            "programme",
            "is_evaluation",
            "strategy",
            "applications",
        ]
        widgets = {
            "start_time": TIME,
            "end_time": TIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "applications": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.instance.meeting = meeting
        self.fields["orientation"].queryset = self.fields["orientation"].queryset.select_related(
            "plan"
        )
        # Each version of a programme is its own document: say which one.
        self.fields["programme"].label_from_instance = lambda programme: (
            _("%(programme)s (version %(version)s, %(status)s)")
            % {
                "programme": programme,
                "version": programme.version,
                "status": programme.get_status_display().lower(),
            }
        )
        field = self.fields["applications"]
        field.queryset = selectors.reviewable_files(self.instance)
        field.label_from_instance = selectors.choice_label
        if field.queryset.exists():
            field.help_text = _(
                "Diagnosed files of a call, awaiting the committee's opinion. Recording the "
                "opinion on this item moves them to “committee opinion given”."
            )
        else:
            field.help_text = _("No diagnosed file awaits the committee's opinion for now.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("applications") and (cleaned.get("programme") or cleaned.get("strategy")):
            self.add_error(
                "applications",
                _(
                    "An item concerns either files of a call, an annual programme or a "
                    "communication strategy: split it into several items."
                ),
            )
        return cleaned


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=255)
    file = UploadField(label=_("File"))


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Your reply"), choices=Reply.choices, widget=forms.RadioSelect
    )


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        help_text=_(
            "Kept in the meeting's history; members who were convened receive it by e-mail."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the cancellation.")},
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("How is your organisation concerned?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LineCommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    minutes_file = UploadField(
        label=_("Signed minutes (file)"),
        required=False,
        help_text=_("PDF or office document; it replaces the previous file."),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("minutes_file") or (self.meeting and self.meeting.minutes_file)
        if not cleaned.get("minutes", "").strip() and not has_file:
            raise ValidationError(_("Write the minutes or attach their file."))
        return cleaned


class ApproveMinutesForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        label=_("Approved at the meeting of"),
        queryset=Meeting.objects.none(),
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "approve-rule"}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = (
            selectors.meetings_approving_minutes_of(meeting)
            if meeting.status == MeetingStatus.HELD
            else []
        )
        self.fields["at_meeting"].queryset = Meeting.objects.filter(
            pk__in=[candidate.pk for candidate in self.candidates]
        ).order_by("date")


class AttendanceForm(forms.Form):
    """One presence field per seat of the committee on the meeting's date."""

    def __init__(self, *args, seats, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.attendances = attendances
        for seat in seats:
            attendance = attendances.get(seat.pk)
            initial = attendance.presence if attendance and attendance.presence else ""
            if not initial and attendance and attendance.reply:
                initial = {
                    Reply.ATTENDING: Presence.PRESENT,
                    Reply.EXCUSED: Presence.EXCUSED,
                    Reply.REPRESENTED: Presence.REPRESENTED,
                }[attendance.reply]
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=f"{seat.person} — {seat.organisation or ''}",
                choices=Presence.choices,
                initial=initial or Presence.ABSENT,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def rows(self) -> list[dict]:
        return [
            {
                "seat": seat,
                "field": self[f"seat_{seat.pk}"],
                "attendance": self.attendances.get(seat.pk),
            }
            for seat in self.seats
        ]

    def presences(self) -> dict[int, str]:
        return {seat.pk: self.cleaned_data[f"seat_{seat.pk}"] for seat in self.seats}


class OpinionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Opinion of the committee"), choices=Outcome.choices)
    text = forms.CharField(label=_("Text of the opinion"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, voters, conflicted, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters
        self.conflicted = conflicted
        for seat in voters:
            field = forms.ChoiceField(
                label=f"{seat.person} — {seat.college}",
                choices=VoteChoice.choices,
                initial=VoteChoice.ABSTENTION if seat.pk in conflicted else VoteChoice.FOR,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            if seat.pk in conflicted:
                field.help_text = _("Conflict of interest: abstains on this item.")
            self.fields[f"vote_{seat.pk}"] = field

    def rows(self) -> list[dict]:
        return [
            {
                "seat": seat,
                "field": self[f"vote_{seat.pk}"],
                "conflicted": seat.pk in self.conflicted,
            }
            for seat in self.voters
        ]

    def votes(self) -> dict[int, str]:
        return {
            seat.pk: self.cleaned_data[f"vote_{seat.pk}"]
            for seat in self.voters
            if f"vote_{seat.pk}" in self.cleaned_data
        }
