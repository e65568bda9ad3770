"""Who may do what in the steering committee (``rules`` predicates, ``"governance.<name>"``).

Reads stay filtered by ``Meeting.objects.visible_to(user)`` (committee members and staff);
these predicates decide what a person may *do* with a meeting or an agenda item they can see.
They serve the views, the templates (``{% has_perm "governance.reply" user meeting as … %}``),
the services and the workflow transitions of ``Meeting``.
"""

import rules
from django.utils import timezone

from ess_metro.permissions import is_committee_or_staff, is_staff


def sitting_mandate(user, day=None):
    """The mandate ``user`` holds on ``day`` (today by default), holder or substitute.

    Kept on the user object for the request, so that a page and its predicates ask once.
    """
    from .models import Mandate

    if not getattr(user, "is_authenticated", False):
        return None
    day = day or timezone.localdate()
    known = user.__dict__.setdefault("_governance_mandates", {})
    if day not in known:
        known[day] = (
            Mandate.objects.active(day).filter(person=user).select_related("holder").first()
        )
    return known[day]


@rules.predicate
def sits_on_meeting_day(user, meeting) -> bool:
    return meeting is not None and sitting_mandate(user, meeting.date) is not None


@rules.predicate
def is_convened(user, meeting) -> bool:
    return meeting is not None and meeting.status == "convened"


@rules.predicate
def item_is_open(user, item) -> bool:
    """An item of a meeting not cancelled whose opinion is not recorded yet."""
    return item is not None and not item.meeting.is_cancelled and item.recorded_opinion is None


@rules.predicate
def sits_on_item_day(user, item) -> bool:
    return item is not None and sitting_mandate(user, item.meeting.date) is not None


# Staff run the committee: mandates, meetings, agenda, attendance, minutes and opinions.
can_manage_mandates = is_staff
can_manage_meetings = is_staff
can_convene = is_staff
can_cancel = is_staff
can_record_attendance = is_staff
can_approve_minutes = is_staff
can_record_opinion = is_staff
# Committee members (and staff) read the meetings, their documents, minutes and the register.
can_see_meetings = is_committee_or_staff
can_read_minutes = is_committee_or_staff
# A member sitting on the day answers the convocation and declares their conflicts.
can_reply = sits_on_meeting_day & is_convened
can_declare_conflict = sits_on_item_day & item_is_open

PERMISSIONS = {
    "manage_mandates": can_manage_mandates,
    "manage_meetings": can_manage_meetings,
    "convene": can_convene,
    "cancel_meeting": can_cancel,
    "record_attendance": can_record_attendance,
    "approve_minutes": can_approve_minutes,
    "record_opinion": can_record_opinion,
    "see_meetings": can_see_meetings,
    "read_minutes": can_read_minutes,
    "reply": can_reply,
    "declare_conflict": can_declare_conflict,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(f"governance.{_name}", _predicate)
