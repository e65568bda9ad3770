"""Registered partners of a file: named by the applicant, accepted or declined by the partner."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ess_metro import workflow
from projects.calls import notifications
from projects.models import Application, Partnership, PartnershipStatus


def partnerships_set(*, application: Application, organisations) -> list[Partnership]:
    """Name exactly these partners; each newly named one is asked, the others keep their answer.

    Returns the new requests. Their administrators are told after the commit.
    """
    wanted = {organisation.pk: organisation for organisation in organisations}
    current = set(application.partnerships.values_list("organisation_id", flat=True))
    application.partnerships.exclude(organisation_id__in=wanted).delete()
    requests = Partnership.objects.bulk_create(
        Partnership(application=application, organisation=organisation)
        for pk, organisation in wanted.items()
        if pk not in current
    )
    for partnership in requests:
        notifications.partnership_requested(partnership)
    return requests


@transaction.atomic
def partnership_answer(*, partnership: Partnership, user, accept: bool) -> Partnership:
    """The partner's administrator accepts or declines being named; the applicant is told."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.status != PartnershipStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    workflow.fire(partnership, "accept" if accept else "decline", user=user)
    return partnership
