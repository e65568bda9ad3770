"""Writes of the governance app: keyword-only functions under transaction.atomic."""

from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ess_metro.accounts.models import User
from ess_metro.notifications import notify

from . import calendar, files, quorum
from .models import (
    FAVOURABLE_OUTCOMES,
    PRESENT_STATUSES,
    AgendaItem,
    Attendance,
    CalendarToken,
    ConflictOfInterest,
    ConflictSource,
    LineComment,
    Mandate,
    Meeting,
    MeetingStatus,
    MeetingTransition,
    Opinion,
    Presence,
    Reply,
    Vote,
    VoteChoice,
)

MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.CONVENED, MeetingStatus.CANCELLED},
    MeetingStatus.CONVENED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.MINUTES_APPROVED},
    MeetingStatus.MINUTES_APPROVED: set(),
    MeetingStatus.CANCELLED: set(),
}


# --- mandates -------------------------------------------------------------------------------


def _invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def mandate_create(
    *, mandate: Mandate, email: str, first_name: str = "", last_name: str = "", by=None
) -> Mandate:
    """Save a new mandate; create and invite the person's account when they have none."""
    email = User.objects.normalize_email(email).lower()
    person = User.objects.filter(email__iexact=email).first()
    created = person is None
    if created:
        person = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
        person.email_confirmed_at = timezone.now()
        person.save(update_fields=["email_confirmed_at"])
    mandate.person = person
    mandate.full_clean()
    mandate.save()
    if created:
        notify(
            "governance/account_invitation",
            to=[person.email],
            context={"person": person, "mandate": mandate, "path": _invitation_path(person)},
        )
    else:
        notify(
            "governance/mandate_notice",
            to=[person.email],
            context={"person": person, "mandate": mandate},
        )
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate) -> Mandate:
    """Save changes (an end date ends the mandate; it stays in the history).

    Ending a holder's mandate ends its substitutes' on the same day: a substitute sits only
    for their holder.
    """
    mandate.full_clean()
    mandate.save()
    if mandate.is_holder and mandate.end_date:
        for substitute in mandate.substitutes.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=mandate.end_date)
        ):
            substitute.end_date = max(mandate.end_date, substitute.start_date)
            substitute.save(update_fields=["end_date"])
    return mandate


# --- meetings -------------------------------------------------------------------------------


def _transition(*, meeting: Meeting, to_status: str, user, comment: str = "") -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if to_status not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(
            _("The meeting cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": meeting.get_status_display(),
                "to": MeetingStatus(to_status).label,
            }
        )
    MeetingTransition.objects.create(
        meeting=meeting,
        from_status=meeting.status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    meeting.status = to_status
    return meeting


def seats_on(day):
    """Holder mandates active on ``day``: the seats of the committee that day."""
    return Mandate.objects.active(day).holders().with_people()


@transaction.atomic
def meeting_convene(*, meeting: Meeting, user, send: bool = True) -> Meeting:
    """Send every active member the agenda and an .ics invitation; open replies.

    ``send=False`` records the convocation without e-mails (demo data only).
    """
    _refuse_if_cancelled(Meeting.objects.get(pk=meeting.pk))
    meeting = _transition(meeting=meeting, to_status=MeetingStatus.CONVENED, user=user)
    items = list(meeting.items.select_related("orientation", "programme", "strategy"))
    if not items:
        raise ValidationError(_("Add at least one agenda item before convening the meeting."))
    meeting.convened_at = timezone.now()
    meeting.save(update_fields=["status", "convened_at", "updated_at"])
    for seat in seats_on(meeting.date):
        Attendance.objects.get_or_create(meeting=meeting, mandate=seat)
    for item in items:
        conflicts_flag_automatic(item=item)
    if send:
        _send_convocation(meeting=meeting)
    return meeting


MOVING_FIELDS = {"date", "start_time", "end_time", "place"}


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
        _send_convocation(meeting=meeting, updated=True)
    return meeting, moved


def _convened_emails(meeting: Meeting) -> list[str]:
    """Every active member on the meeting's date, holders and substitutes: the convocation's
    recipients."""
    members = Mandate.objects.active(meeting.date).select_related("person")
    return sorted({mandate.person.email for mandate in members})


def _send_convocation(*, meeting: Meeting, updated: bool = False) -> None:
    items = list(meeting.items.all())
    ics = calendar.invitation_ics(meeting, items)
    for email in _convened_emails(meeting):
        notify(
            "governance/convocation",
            to=[email],
            context={"meeting": meeting, "items": items, "updated": updated},
            attachments=[("convocation.ics", ics, "text/calendar; method=PUBLISH")],
        )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user, reason: str, send: bool = True) -> Meeting:
    """Cancel a planned or convened meeting, with the reason (kept in the transition log).

    When the members had been convened, each receives a cancellation with an .ics (METHOD:CANCEL,
    same UID as the convocation, higher SEQUENCE) that removes the event from their calendar.
    ``send=False`` records the cancellation without e-mails (demo data only).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    current = Meeting.objects.get(pk=meeting.pk)
    if current.is_cancelled:
        raise ValidationError(_("This meeting is already cancelled."))
    if current.is_held:
        raise ValidationError(
            _("A meeting that has been held cannot be cancelled: its attendance is recorded.")
        )
    was_convened = current.status == MeetingStatus.CONVENED
    meeting = _transition(
        meeting=meeting, to_status=MeetingStatus.CANCELLED, user=user, comment=reason
    )
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason
    # A new revision: calendars that saw the event replace it with the cancelled one.
    meeting.sequence += 1
    meeting.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancellation_reason",
            "sequence",
            "updated_at",
        ]
    )
    if was_convened and send:
        ics = calendar.cancellation_ics(meeting)
        for email in _convened_emails(meeting):
            notify(
                "governance/meeting_cancelled",
                to=[email],
                context={"meeting": meeting, "reason": reason},
                attachments=[("annulation.ics", ics, "text/calendar; method=CANCEL")],
            )
    return meeting


def _refuse_if_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."))


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
        notify(
            "governance/reminder",
            to=[attendance.mandate.person.email],
            context={"meeting": meeting, "items": items, "person": attendance.mandate.person},
        )
        count += 1
    return count


@transaction.atomic
def document_delete(*, document) -> None:
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def attendance_reply(*, meeting: Meeting, user, reply: str) -> Attendance:
    """The holder (or their substitute) answers the convocation."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("Replies are open only once the meeting is convened."))
    if reply not in Reply.values:
        raise ValidationError(_("Choose a valid reply."))
    mandate = (
        Mandate.objects.active(meeting.date).filter(person=user).select_related("holder").first()
    )
    if mandate is None:
        raise ValidationError(_("You do not sit in the committee on the date of this meeting."))
    seat = mandate.seat
    if reply == Reply.REPRESENTED and not seat.substitutes.active(meeting.date).exists():
        raise ValidationError(_("This seat has no substitute to represent it."))
    attendance, _created = Attendance.objects.get_or_create(meeting=meeting, mandate=seat)
    attendance.reply = reply
    attendance.replied_at = timezone.now()
    attendance.save(update_fields=["reply", "replied_at"])
    return attendance


@transaction.atomic
def attendance_record(*, meeting: Meeting, user, presences: dict[int, str]) -> Meeting:
    """Staff record who was present after the meeting; the meeting becomes held."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_cancelled(meeting)
    if meeting.status not in {MeetingStatus.CONVENED, MeetingStatus.HELD}:
        raise ValidationError(_("Attendance is recorded once the meeting has been convened."))
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("Attendance can be recorded only once the meeting has taken place.")
        )
    seats = {seat.pk: seat for seat in seats_on(meeting.date)}
    for mandate_id, presence in presences.items():
        if mandate_id not in seats:
            raise ValidationError(_("Only the seats of the committee on that day can be recorded."))
        if presence not in Presence.values:
            raise ValidationError(_("Choose a valid presence."))
        if presence == Presence.REPRESENTED and not (
            seats[mandate_id].substitutes.active(meeting.date).exists()
        ):
            raise ValidationError(
                _("%(person)s has no substitute: the seat cannot be represented.")
                % {"person": seats[mandate_id].person}
            )
        Attendance.objects.update_or_create(
            meeting=meeting, mandate=seats[mandate_id], defaults={"presence": presence}
        )
    if meeting.status == MeetingStatus.CONVENED:
        meeting = _transition(meeting=meeting, to_status=MeetingStatus.HELD, user=user)
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["status", "attendance_recorded_at", "updated_at"])
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, upload=None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
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
    """The minutes of ``meeting`` are approved at the next meeting, ``at_meeting``.

    Every member sitting today is told the minutes are published, with a link to the meeting
    page where they are (``send=False``: demo data only).
    """
    meeting = Meeting.objects.get(pk=meeting.pk)
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    if not (meeting.minutes or meeting.minutes_file):
        raise ValidationError(_("Write the minutes before having them approved."))
    if at_meeting.date <= meeting.date or not at_meeting.is_held:
        raise ValidationError(_("Minutes are approved at a later meeting that has been held."))
    meeting = _transition(
        meeting=meeting,
        to_status=MeetingStatus.MINUTES_APPROVED,
        user=user,
        comment=str(at_meeting),
    )
    meeting.minutes_approved_at = at_meeting
    meeting.save(update_fields=["status", "minutes_approved_at", "updated_at"])
    if send:
        members = Mandate.objects.active().select_related("person")
        for email in sorted({mandate.person.email for mandate in members}):
            notify(
                "governance/minutes_published",
                to=[email],
                context={"meeting": meeting, "at_meeting": at_meeting},
            )
    return meeting


# --- agenda ---------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, applications=None) -> AgendaItem:
    """Save an item; ``applications`` (None: unchanged) are the files of a call it concerns.

    A file can be added only while diagnosed (the state in which the committee reviews it);
    files already on the item stay whatever their state.
    """
    if not item.meeting.is_editable:
        raise ValidationError(_("The agenda of a meeting already held cannot be changed."))
    item.full_clean()
    if applications is not None:
        applications = list(applications)
        if applications and (item.programme_id or item.strategy_id):
            raise ValidationError(
                {
                    "applications": _(
                        "An item concerns either files of a call, an annual programme or a "
                        "communication strategy: split it into several items."
                    )
                }
            )
        current = set(item.applications.values_list("pk", flat=True)) if item.pk else set()
        for application in applications:
            if application.pk not in current and application.status != files.REVIEWED_STATUS:
                raise ValidationError(
                    {
                        "applications": _(
                            "The file %(reference)s is not diagnosed: only diagnosed files go "
                            "to the committee."
                        )
                        % {"reference": application.reference or application.title}
                    }
                )
    item.save()
    if applications is not None:
        item.applications.set(applications)
    conflicts_flag_automatic(item=item)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    if not item.meeting.is_editable:
        raise ValidationError(_("The agenda of a meeting already held cannot be changed."))
    if hasattr(item, "opinion"):
        raise ValidationError(_("An item with a recorded opinion cannot be deleted."))
    item.delete()


# --- conflicts of interest ------------------------------------------------------------------


def _concerned_organisations(item: AgendaItem) -> dict[int, list[str]]:
    """Organisation id → why it is concerned: beneficiary of a line, lead or partner of a file."""
    reasons: dict[int, list[str]] = {}
    if item.programme_id:
        lines = item.programme.lines.filter(beneficiary__isnull=False).select_related("beneficiary")
        for line in lines:
            reasons.setdefault(line.beneficiary_id, []).append(
                _("%(organisation)s is the beneficiary of the line “%(line)s”.")
                % {"organisation": line.beneficiary, "line": line.title}
            )
    applications = (
        item.applications.select_related("organisation")
        .prefetch_related("partner_organisations")
        .order_by("reference")
    )
    for application in applications:
        reasons.setdefault(application.organisation_id, []).append(
            _("%(organisation)s is the lead organisation of the file %(reference)s “%(title)s”.")
            % {
                "organisation": application.organisation,
                "reference": application.reference or _("Draft"),
                "title": application.title,
            }
        )
        for partner in application.partner_organisations.all():
            if partner.pk == application.organisation_id:
                continue
            reasons.setdefault(partner.pk, []).append(
                _("%(organisation)s is a partner of the file %(reference)s “%(title)s”.")
                % {
                    "organisation": partner,
                    "reference": application.reference or _("Draft"),
                    "title": application.title,
                }
            )
    return reasons


def conflicts_flag_automatic(*, item: AgendaItem) -> list[ConflictOfInterest]:
    """Flag seats whose organisation is a beneficiary of a line of the item's programme, or
    the lead organisation or a partner organisation of a file on the item.

    Automatic flags that no longer apply (a file taken off the item) are withdrawn while the
    opinion is not recorded; declared conflicts are never touched.
    """
    if item.pk is None:
        return []
    reasons = _concerned_organisations(item)
    seats = list(
        Mandate.objects.active(item.meeting.date)
        .holders()
        .filter(organisation_id__in=reasons)
        .select_related("organisation")
    )
    if not Opinion.objects.filter(item=item).exists():
        item.conflicts.filter(source=ConflictSource.AUTOMATIC).exclude(
            mandate__in=[seat.pk for seat in seats]
        ).delete()
    flagged = []
    for seat in seats:
        reason = " ".join(reasons[seat.organisation_id])
        conflict, created = ConflictOfInterest.objects.get_or_create(
            item=item,
            mandate=seat,
            defaults={"source": ConflictSource.AUTOMATIC, "reason": reason},
        )
        if created:
            flagged.append(conflict)
        elif conflict.source == ConflictSource.AUTOMATIC and conflict.reason != reason:
            conflict.reason = reason
            conflict.save(update_fields=["reason"])
    return flagged


@transaction.atomic
def conflict_declare(*, item: AgendaItem, user, reason: str) -> ConflictOfInterest:
    _refuse_if_cancelled(item.meeting)
    if hasattr(item, "opinion"):
        raise ValidationError(_("The opinion on this item has already been recorded."))
    mandate = (
        Mandate.objects.active(item.meeting.date)
        .filter(person=user)
        .select_related("holder")
        .first()
    )
    if mandate is None:
        raise ValidationError(_("You do not sit in the committee on the date of this meeting."))
    if not reason.strip():
        raise ValidationError(_("Explain how your organisation is concerned."))
    conflict, created = ConflictOfInterest.objects.get_or_create(
        item=item,
        mandate=mandate.seat,
        defaults={"source": ConflictSource.DECLARED, "reason": reason, "declared_by": user},
    )
    if not created:
        raise ValidationError(_("A conflict of interest is already recorded for this item."))
    return conflict


# --- opinions -------------------------------------------------------------------------------


@transaction.atomic
def opinion_record(
    *,
    item: AgendaItem,
    user,
    outcome: str,
    text: str,
    votes: dict[int, str],
    apply_effects: bool = True,
) -> Opinion:
    """Record the committee's opinion and the votes of the seats present or represented.

    Refused when the quorum is not met, when a seat that was not present votes, or when a
    conflicted seat votes for or against. Conflicted seats present are recorded as abstaining
    for that reason. With ``apply_effects``, the programme or strategy reviewed moves on.
    """
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    _refuse_if_cancelled(meeting)
    if Opinion.objects.filter(item=item).exists():
        raise ValidationError(_("The opinion on this item has already been recorded."))
    if not meeting.is_held:
        raise ValidationError(_("An opinion is recorded once attendance has been recorded."))
    result = quorum.compute(meeting)
    if not result.met:
        raise ValidationError(
            _(
                "The quorum is not met (%(present)s of %(seats)s seats present or represented, "
                "%(required)s required): the opinion cannot be recorded."
            )
            % {"present": result.present, "seats": result.seats, "required": result.required}
        )
    conflicts_flag_automatic(item=item)
    present = {
        attendance.mandate_id: attendance.mandate
        for attendance in meeting.attendances.filter(presence__in=PRESENT_STATUSES).select_related(
            "mandate__person"
        )
    }
    conflicted = set(item.conflicts.values_list("mandate_id", flat=True))
    for mandate_id, choice in votes.items():
        if mandate_id not in present:
            raise ValidationError(_("Only members present or represented at the meeting can vote."))
        if choice not in VoteChoice.values:
            raise ValidationError(_("Choose for, against or abstention."))
        if mandate_id in conflicted and choice != VoteChoice.ABSTENTION:
            raise ValidationError(
                _("%(person)s has a conflict of interest on this item and cannot vote on it.")
                % {"person": present[mandate_id].person}
            )
    opinion = Opinion.objects.create(item=item, outcome=outcome, text=text, recorded_by=user)
    for mandate_id in present:
        if mandate_id in conflicted:
            Vote.objects.create(
                opinion=opinion, mandate_id=mandate_id, choice=VoteChoice.ABSTENTION, conflict=True
            )
        elif mandate_id in votes:
            Vote.objects.create(opinion=opinion, mandate_id=mandate_id, choice=votes[mandate_id])
    opinion.files_report = FilesReport()
    if apply_effects:
        _apply_opinion(item=item, opinion=opinion, user=user)
    return opinion


@dataclass
class FilesReport:
    """What recording an opinion did to the files of a call on the item."""

    moved: list = field(default_factory=list)
    left: list = field(default_factory=list)


def _opinion_comment(*, item: AgendaItem, opinion: Opinion) -> str:
    return _(
        "Opinion of the steering committee, meeting of %(date)s (item “%(topic)s”): "
        "%(outcome)s. %(text)s"
    ) % {
        "date": item.meeting.date.strftime("%d/%m/%Y"),
        "topic": item.topic,
        "outcome": opinion.get_outcome_display(),
        "text": opinion.text,
    }


def opinion_apply_to_files(*, item: AgendaItem, opinion: Opinion, user) -> FilesReport:
    """Move each diagnosed file of the item to “committee opinion given” through the projects
    app's own service (which logs the transition); files in another state are left alone."""
    from projects.calls.services import committee_opinion_record

    report = FilesReport()
    comment = _opinion_comment(item=item, opinion=opinion)
    for application in item.applications.select_related("organisation").order_by("reference"):
        if application.status != files.REVIEWED_STATUS:
            report.left.append(application)
            continue
        report.moved.append(
            committee_opinion_record(
                application=application,
                user=user,
                opinion=opinion.outcome,
                date=item.meeting.date,
                text=comment,
            )
        )
    return report


def _apply_opinion(*, item: AgendaItem, opinion: Opinion, user) -> None:
    from programme.models import ProgrammeStatus
    from programme.services import programme_record_committee_opinion

    opinion.files_report = opinion_apply_to_files(item=item, opinion=opinion, user=user)
    if item.programme_id and not item.is_evaluation:
        if item.programme.status != ProgrammeStatus.SUBMITTED:
            raise ValidationError(
                _("The programme must be submitted to the committee to receive its opinion.")
            )
        programme_record_committee_opinion(
            programme=item.programme,
            user=user,
            comment=f"{opinion.get_outcome_display()} — {opinion.text}",
        )
    if item.strategy_id and opinion.outcome in FAVOURABLE_OUTCOMES:
        from communication.services import strategy_validate

        strategy_validate(strategy=item.strategy, user=user)


# --- programme comments and calendar --------------------------------------------------------


@transaction.atomic
def line_comment_add(*, line, user, text: str) -> LineComment:
    from programme.models import ProgrammeStatus

    if line.programme.status != ProgrammeStatus.SUBMITTED:
        raise ValidationError(
            _("Comments are open only while the programme is submitted to the committee.")
        )
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    return LineComment.objects.create(line=line, author=user, text=text.strip())


@transaction.atomic
def calendar_token_renew(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": CalendarToken.new_token()}
    )
    return token


def calendar_token_for(*, user) -> CalendarToken:
    token = CalendarToken.objects.filter(user=user).first()
    return token or calendar_token_renew(user=user)
