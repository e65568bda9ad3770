"""Writes of the programme app: keyword-only functions under transaction.atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AnnualProgramme, ProgrammeStatus

# The annual programme's workflow (DESIGN.md): from → allowed targets.
TRANSITIONS = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.SUBMITTED},
    ProgrammeStatus.SUBMITTED: {ProgrammeStatus.COMMITTEE_OPINION, ProgrammeStatus.DRAFT},
    ProgrammeStatus.COMMITTEE_OPINION: {ProgrammeStatus.ADOPTED},
    ProgrammeStatus.ADOPTED: {ProgrammeStatus.PUBLISHED},
    ProgrammeStatus.PUBLISHED: {ProgrammeStatus.EVALUATED},
    ProgrammeStatus.EVALUATED: set(),
}


@transaction.atomic
def programme_transition(
    *, programme: AnnualProgramme, to_status: str, user, comment: str = ""
) -> AnnualProgramme:
    """Move the programme to ``to_status`` if the workflow allows it."""
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    if to_status not in TRANSITIONS[programme.status]:
        raise ValidationError(
            _("The programme cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": programme.get_status_display(),
                "to": ProgrammeStatus(to_status).label,
            }
        )
    programme.status = to_status
    programme.save(update_fields=["status", "updated_at"])
    return programme


def programme_record_committee_opinion(
    *, programme: AnnualProgramme, user, comment: str = ""
) -> AnnualProgramme:
    """Called by the governance app when the committee's opinion on the programme is recorded."""
    return programme_transition(
        programme=programme,
        to_status=ProgrammeStatus.COMMITTEE_OPINION,
        user=user,
        comment=comment,
    )
