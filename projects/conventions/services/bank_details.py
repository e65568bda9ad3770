"""Bank details of a convention: a change is recorded before/after (the IBAN masked),
announced to the beneficiary's administrators and to staff, and holds every payment until
another member of staff confirms it: one person is never enough to redirect a grant."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ess_metro.audit import mask
from ess_metro.permissions import require

from .. import notifications
from ..models import BankDetailsChange, Convention
from ._common import log_edit


@transaction.atomic
def convention_set_bank_details(*, convention: Convention, account_holder, iban, bic, user):
    """IBAN and BIC already validated and normalised by the form (schwifty), and the person's
    identity confirmed again by the view (password or second factor).

    The audit trail keeps the holder, IBAN and BIC before and after (masked when shown)."""
    if (convention.account_holder, convention.iban, convention.bic) == (account_holder, iban, bic):
        return convention
    change = BankDetailsChange.objects.create(
        convention=convention,
        changed_by=user,
        account_holder_before=convention.account_holder,
        account_holder_after=account_holder,
        iban_before=mask(convention.iban),
        iban_after=mask(iban),
    )
    convention.account_holder = account_holder
    convention.iban = iban
    convention.bic = bic
    convention.bank_details_to_confirm = True
    convention._history_user = user
    convention.save(
        update_fields=["account_holder", "iban", "bic", "bank_details_to_confirm", "updated_at"]
    )
    _log(convention, user, _("Bank details changed: payments wait for their confirmation."))
    notifications.bank_details_changed(convention, change=change)
    return convention


@transaction.atomic
def convention_confirm_bank_details(*, convention: Convention, user) -> Convention:
    """A member of staff other than the author of the change confirms the new details."""
    require(user, "projects.confirm_bank_details", convention)
    pending = convention.bank_changes.filter(confirmed_at=None)
    if not convention.bank_details_to_confirm:
        raise ValidationError(_("These bank details are already confirmed."))
    if pending.filter(changed_by=user).exists():
        raise ValidationError(
            _("You changed these bank details yourself: another member of staff must confirm them.")
        )
    pending.update(confirmed_by=user, confirmed_at=timezone.now())
    convention.bank_details_to_confirm = False
    convention.save(update_fields=["bank_details_to_confirm", "updated_at"])
    _log(convention, user, _("New bank details confirmed: payments may go ahead."))
    return convention


def _log(convention, user, comment):
    log_edit(
        convention,
        user=user,
        from_status=convention.status,
        to_status=convention.status,
        comment=comment,
    )
