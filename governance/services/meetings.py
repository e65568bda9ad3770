"""Meetings: planning, convocation, cancellation, replies, attendance and minutes.

Every change of status goes through the ``Meeting`` transitions (``workflow.fire``), which
check the status, the conditions and the permission, and write the ``MeetingTransition`` row.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ess_metro import workflow

from .. import notifications, rules
from ..models import Attendance, Mandate, Meeting, MeetingStatus, Presence, Reply
from ..selectors import meeting_quorum, seats_on
from .agenda import conflicts_flag_automatic

MOVING_FIELDS = {"date", "start_time", "end_time", "place"}


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_save(*, meeting: Meeting, changed=()) -> tuple[Meeting, bool]:
    """Save a meeting; moving a convened one sends every member the new convocation."""
    moved = (
        meeting.pk is not None
        and meeting.status == MeetingStatus.CONVENED
        and bool(MOVING_FIELDS & set(changed))
    )
    if moved:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    if moved:
        notifications.convocation(meeting=meeting, updated=True)
    return meeting, moved


@transaction.atomic
def meeting_convene(*, meeting: Meeting, user, send: bool = True) -> Meeting:
    """Send every active member the agenda and an .ics invitation; open replies.

    ``send=False`` records the convocation without e-mails (demo data only).
    """
    meeting = _locked(meeting)
    rules.check_not_cancelled(meeting.is_cancelled)
    workflow.fire(meeting, "convene", user=user)
    for seat in seats_on(meeting.date):
        Attendance.objects.get_or_create(meeting=meeting, mandate=seat)
    for item in meeting.items.all():
        conflicts_flag_automatic(item=item)
    if send:
        notifications.convocation(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user, reason: str, send: bool = True) -> Meeting:
    """Cancel a planned or convened meeting, with the reason (kept in the transition log).

    When the members had been convened, each receives a cancellation with an .ics (METHOD:CANCEL,
    same UID as the convocation, higher SEQUENCE) that removes the event from their calendar.
    ``send=False`` records the cancellation without e-mails (demo data only).
    """
    reason = rules.check_cancel_reason(reason)
    meeting = _locked(meeting)
    rules.check_cancellable(cancelled=meeting.is_cancelled, held=meeting.is_held)
    was_convened = meeting.status == MeetingStatus.CONVENED
    workflow.fire(meeting, "cancel", user=user, comment=reason, reason=reason)
    if was_convened and send:
        notifications.meeting_cancelled(meeting=meeting, reason=reason)
    return meeting


def meeting_remind(*, meeting: Meeting) -> int:
    """Remind the holders who have not answered the convocation; returns how many."""
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Reminders are sent only for a convened meeting."))
    waiting = (
        meeting.attendances.filter(reply="", mandate__in=seats_on(meeting.date))
        .select_related("mandate__person")
        .order_by("mandate__person__email")
    )
    items = list(meeting.items.all())
    count = 0
    for attendance in waiting:
        notifications.reminder(meeting=meeting, person=attendance.mandate.person, items=items)
        count += 1
    return count


def _sitting_mandate(meeting: Meeting, user) -> Mandate:
    mandate = (
        Mandate.objects.active(meeting.date).filter(person=user).select_related("holder").first()
    )
    if mandate is None:
        raise ValidationError(_("You do not sit in the committee on the date of this meeting."))
    return mandate


@transaction.atomic
def attendance_reply(*, meeting: Meeting, user, reply: str) -> Attendance:
    """The holder (or their substitute) answers the convocation."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    rules.check_not_cancelled(meeting.is_cancelled)
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Replies are open only once the meeting is convened."))
    if reply not in Reply.values:
        raise ValidationError(_("Choose a valid reply."))
    seat = _sitting_mandate(meeting, user).seat
    if reply == Reply.REPRESENTED and not seat.substitutes.active(meeting.date).exists():
        raise ValidationError(_("This seat has no substitute to represent it."))
    attendance, _created = Attendance.objects.get_or_create(meeting=meeting, mandate=seat)
    attendance.reply = reply
    attendance.replied_at = timezone.now()
    attendance.save(update_fields=["reply", "replied_at"])
    return attendance


def _check_attendance_open(meeting: Meeting) -> None:
    rules.check_not_cancelled(meeting.is_cancelled)
    if meeting.status not in {MeetingStatus.CONVENED, MeetingStatus.HELD}:
        raise ValidationError(_("Attendance is recorded once the meeting has been convened."))
    if not rules.has_taken_place(meeting.date, today=timezone.localdate()):
        raise ValidationError(
            _("Attendance can be recorded only once the meeting has taken place.")
        )


def _record_presence(meeting: Meeting, seat: Mandate | None, presence: str) -> None:
    if seat is None:
        raise ValidationError(_("Only the seats of the committee on that day can be recorded."))
    if presence not in Presence.values:
        raise ValidationError(_("Choose a valid presence."))
    if presence == Presence.REPRESENTED and not seat.substitutes.active(meeting.date).exists():
        raise ValidationError(
            _("%(person)s has no substitute: the seat cannot be represented.")
            % {"person": seat.person}
        )
    Attendance.objects.update_or_create(
        meeting=meeting, mandate=seat, defaults={"presence": presence}
    )


@transaction.atomic
def attendance_record(*, meeting: Meeting, user, presences: dict[int, str]) -> Meeting:
    """Staff record who was present after the meeting; the meeting becomes held."""
    meeting = _locked(meeting)
    _check_attendance_open(meeting)
    seats = {seat.pk: seat for seat in seats_on(meeting.date)}
    for mandate_id, presence in presences.items():
        _record_presence(meeting, seats.get(mandate_id), presence)
    if meeting.status == MeetingStatus.CONVENED:
        workflow.fire(meeting, "hold", user=user)
    else:
        meeting.attendance_recorded_at = timezone.now()
        meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, upload=None) -> Meeting:
    meeting = _locked(meeting)
    if not meeting.is_held:
        raise ValidationError(_("Minutes are written once the meeting has been held."))
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ValidationError(_("Approved minutes can no longer be changed."))
    meeting.minutes = text
    fields = ["minutes", "updated_at"]
    if upload is not None:
        meeting.minutes_file.save(upload.name, upload, save=False)
        fields.append("minutes_file")
    meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at_meeting: Meeting, user, send: bool = True) -> Meeting:
    """The minutes of ``meeting`` are approved at a later meeting held with its quorum,
    ``at_meeting``.

    Every member sitting today is told the minutes are published, with a link to the meeting
    page where they are (``send=False``: demo data only).
    """
    meeting = _locked(meeting)
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    rules.check_minutes_approval(
        has_minutes=bool(meeting.minutes or meeting.minutes_file),
        day=meeting.date,
        at_day=at_meeting.date,
        at_held=at_meeting.is_held,
        at_quorum=at_meeting.is_held and meeting_quorum(at_meeting).met,
    )
    workflow.fire(
        meeting, "approve_minutes", user=user, comment=str(at_meeting), at_meeting=at_meeting
    )
    if send:
        notifications.minutes_published(meeting=meeting, at_meeting=at_meeting)
    return meeting
