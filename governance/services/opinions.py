"""Opinions of the committee on agenda items, and what they move in the other apps."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..models import AgendaItem, Opinion, Vote
from ..selectors import REVIEWED_STATUS, meeting_quorum, present_seats
from .agenda import conflicts_flag_automatic


@dataclass
class FilesReport:
    """What recording an opinion did to the files of a call on the item."""

    moved: list = field(default_factory=list)
    left: list = field(default_factory=list)


def _check_open(item: AgendaItem) -> None:
    meeting = item.meeting
    rules.check_not_cancelled(meeting.is_cancelled)
    rules.check_no_opinion_yet(Opinion.objects.filter(item=item).exists())
    rules.check_opinion_open(held=meeting.is_held)
    rules.check_quorum(meeting_quorum(meeting))


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
    _check_open(item)
    conflicts_flag_automatic(item=item)
    present = present_seats(item.meeting)
    conflicted = set(item.conflicts.values_list("mandate_id", flat=True))
    rules.check_votes(
        votes=votes,
        present={pk: str(mandate.person) for pk, mandate in present.items()},
        conflicted=conflicted,
    )
    opinion = Opinion.objects.create(item=item, outcome=outcome, text=text, recorded_by=user)
    Vote.objects.bulk_create(
        Vote(opinion=opinion, mandate_id=seat_id, choice=choice, conflict=conflict)
        for seat_id, choice, conflict in rules.ballots(
            votes=votes, present=present, conflicted=conflicted
        )
    )
    opinion.files_report = FilesReport()
    if apply_effects:
        _apply_opinion(item=item, opinion=opinion, user=user)
    return opinion


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
        if application.status != REVIEWED_STATUS:
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
    if item.strategy_id and rules.is_favourable(opinion.outcome):
        from communication.services import strategy_validate

        strategy_validate(strategy=item.strategy, user=user)
