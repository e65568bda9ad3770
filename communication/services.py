"""Writes of the communication app: keyword-only functions under transaction.atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import CommunicationStrategy, StrategyStatus


@transaction.atomic
def strategy_validate(*, strategy: CommunicationStrategy, user) -> CommunicationStrategy:
    """Called by the governance app when the committee validates the strategy."""
    strategy = CommunicationStrategy.objects.select_for_update().get(pk=strategy.pk)
    if strategy.status != StrategyStatus.SUBMITTED:
        raise ValidationError(_("Only a strategy submitted to the committee can be validated."))
    strategy.status = StrategyStatus.VALIDATED
    strategy.save(update_fields=["status", "updated_at"])
    return strategy
