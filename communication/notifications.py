"""The e-mails of the communication app: one function per event, sent after the commit."""

from django.urls import reverse

from ess_metro.notifications import notify
from ess_metro.permissions import staff_recipients


def event_proposed(event, *, proposer) -> None:
    """A member organisation proposed an event: the staff check and publish it."""
    notify(
        "communication/event_proposed",
        to=staff_recipients(),
        context={
            "event": event,
            "proposer": proposer,
            "path": reverse("communication:staff_event_update", args=[event.pk]),
        },
    )


def event_published(event, *, user=None, comment: str = "") -> None:
    """The ``publish`` transition's hook: the member who proposed the event hears of it."""
    if not event.proposed_by_id or event.proposed_by_id == getattr(user, "pk", None):
        return
    notify(
        "communication/event_published",
        to=[event.proposed_by.email],
        context={"event": event, "path": event.get_absolute_url()},
    )
