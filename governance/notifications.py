"""The e-mails of the steering committee: one function per event (sent after the commit)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ess_metro.notifications import notify

from . import calendar
from .models import Mandate


def _invitation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def member_emails(day=None) -> list[str]:
    """Every member sitting on ``day`` (today by default), holders and substitutes."""
    members = Mandate.objects.active(day).select_related("person")
    return sorted({mandate.person.email for mandate in members})


def account_invitation(*, person, mandate) -> None:
    """A new member without an account: the link to choose a password."""
    notify(
        "governance/account_invitation",
        to=[person.email],
        context={"person": person, "mandate": mandate, "path": _invitation_path(person)},
    )


def mandate_notice(*, person, mandate) -> None:
    notify(
        "governance/mandate_notice",
        to=[person.email],
        context={"person": person, "mandate": mandate},
    )


def convocation(*, meeting, updated: bool = False) -> None:
    """Every member of the meeting's day receives the agenda and an .ics (PUBLISH)."""
    items = list(meeting.items.all())
    ics = calendar.invitation_ics(meeting, items)
    for email in member_emails(meeting.date):
        notify(
            "governance/convocation",
            to=[email],
            context={"meeting": meeting, "items": items, "updated": updated},
            attachments=[("convocation.ics", ics, "text/calendar; method=PUBLISH")],
        )


def meeting_cancelled(*, meeting, reason: str) -> None:
    """The members convened receive the reason and an .ics that removes the event (CANCEL)."""
    ics = calendar.cancellation_ics(meeting)
    for email in member_emails(meeting.date):
        notify(
            "governance/meeting_cancelled",
            to=[email],
            context={"meeting": meeting, "reason": reason},
            attachments=[("annulation.ics", ics, "text/calendar; method=CANCEL")],
        )


def reminder(*, meeting, person, items) -> None:
    notify(
        "governance/reminder",
        to=[person.email],
        context={"meeting": meeting, "items": items, "person": person},
    )


def minutes_published(*, meeting, at_meeting) -> None:
    """Every member sitting today hears that the minutes are approved and published."""
    for email in member_emails():
        notify(
            "governance/minutes_published",
            to=[email],
            context={"meeting": meeting, "at_meeting": at_meeting},
        )
