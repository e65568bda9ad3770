"""After the decision: from a granted file to a draft convention."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import ProgrammeLine
from projects.models import Application, ApplicationStatus

WRITTEN_AGREEMENT_THRESHOLD = Decimal("23000")


def _funding_line(application: Application, year: int) -> ProgrammeLine:
    """The call's programme line when it is of the decision year, else the year's call line."""
    line = application.call.programme_line
    if line is None or line.programme.year != year:
        line = (
            ProgrammeLine.objects.filter(programme__year=year, axis__code="innovation-call")
            .order_by("-programme__version", "position", "pk")
            .first()
        )
    if line is None:
        raise ValidationError(
            _(
                "No line of the %(year)s programme funds the call: add one (axis “annual "
                "social-innovation call”) before preparing the convention."
            )
            % {"year": year}
        )
    return line


def _check_can_prepare(application: Application) -> None:
    if application.status != ApplicationStatus.GRANTED:
        raise ValidationError(_("Only a granted file leads to a convention."))
    if application.convention_id:
        raise ValidationError(_("This file already has a convention."))


@transaction.atomic
def application_prepare_convention(*, application: Application, user):
    """A draft convention for a granted file: one tranche on the call's programme line.

    The convention is then completed, signed and paid in the conventions part; once it is
    signed its tranches carry the commitment in the programme totals instead of the grant.
    """
    from projects.conventions.services import TrancheSpec, convention_create

    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    _check_can_prepare(application)
    year = (application.decision_date or timezone.localdate()).year
    amount = application.granted_amount
    line = _funding_line(application, year)
    objectives = "\n\n".join(
        text for text in (application.summary, application.expected_results) if text
    )
    convention = convention_create(
        beneficiary=application.organisation,
        title=application.title,
        objectives=objectives or application.title,
        start_year=year,
        end_year=year,
        tranches=[TrancheSpec(year=year, amount=amount, programme_line=line)],
        amount_granted=amount,
        written_agreement=amount > WRITTEN_AGREEMENT_THRESHOLD,
        evaluation=application.decision_conditions,
        user=user,
    )
    application.convention = convention
    application.save(update_fields=["convention"])
    return convention
