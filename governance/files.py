"""The files of a call for projects that the committee reviews (read-only, from the projects app).

The committee sees a summary of each file put on an agenda item: never the diagnosis' private
notes, never the applicant's attachments. Only the fields listed in ``FileSummary`` leave here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from ess_metro import formatting
from projects.models import Application, ApplicationStatus, CriterionScore, SelectionCriterion

# The state in which the services hand a file over to the committee.
REVIEWED_STATUS = ApplicationStatus.DIAGNOSED


def files_queryset():
    """Files with what their summary needs, in a constant number of queries."""
    return (
        Application.objects.select_related("call", "organisation", "diagnosis")
        .prefetch_related(
            Prefetch("call__criteria", queryset=SelectionCriterion.objects.order_by("position")),
            Prefetch("diagnosis__scores", queryset=CriterionScore.objects.all()),
            "partner_organisations",
        )
        .order_by("call__year", "reference", "pk")
    )


def reviewable_files(item=None):
    """Files staff may put on an agenda item: the diagnosed ones, and those already on it."""
    condition = Q(status=REVIEWED_STATUS)
    if item is not None and item.pk:
        condition |= Q(pk__in=item.applications.values("pk"))
    return files_queryset().filter(condition)


def _diagnosis(application):
    try:
        return application.diagnosis
    except Application.diagnosis.RelatedObjectDoesNotExist:
        return None


def weighted_total(application) -> Decimal | None:
    """The weighted score of the economic diagnosis out of 100 (prefetched data only)."""
    diagnosis = _diagnosis(application)
    if diagnosis is None:
        return None
    scores = {score.criterion_id: score.score for score in diagnosis.scores.all()}
    return diagnosis.weighted_total(criteria=application.call.criteria.all(), scores=scores)


@dataclass(frozen=True)
class FileSummary:
    """What the committee members see of a file."""

    pk: int
    reference: str
    organisation: str
    title: str
    call: str
    status: str
    status_code: str
    status_badge: str
    requested_amount: Decimal | None
    proposed_amount: Decimal | None
    weighted_total: Decimal | None
    recommendation: str
    staff_url: str
    partners: tuple[str, ...] = ()

    @property
    def awaits_opinion(self) -> bool:
        return self.status_code == REVIEWED_STATUS


def summarise(application) -> FileSummary:
    diagnosis = _diagnosis(application)
    return FileSummary(
        pk=application.pk,
        reference=application.reference or _("Draft"),
        organisation=application.organisation.name,
        title=application.title,
        call=application.call.title,
        status=str(application.get_status_display()),
        status_code=application.status,
        status_badge=application.status_style,
        requested_amount=application.requested_amount,
        proposed_amount=diagnosis.proposed_amount if diagnosis else None,
        weighted_total=weighted_total(application),
        recommendation=str(diagnosis.get_recommendation_display()) if diagnosis else "",
        staff_url=application.get_staff_url(),
        partners=tuple(partner.name for partner in application.partner_organisations.all()),
    )


def choice_label(application) -> str:
    """A readable label for the agenda item form: who, what, how much, which score."""
    total = weighted_total(application)
    return _(
        "%(reference)s — %(organisation)s — %(title)s — requested %(amount)s — "
        "diagnosis %(total)s / 100"
    ) % {
        "reference": application.reference or _("Draft"),
        "organisation": application.organisation.name,
        "title": application.title,
        "amount": formatting.money(application.requested_amount) or "—",
        "total": formatting.number(total, 1) if total is not None else "—",
    }
