"""Mandates: a seat held by a person for an organisation (audited: see ``Mandate.history``)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ess_metro.accounts.models import User

from .. import notifications
from ..models import Mandate


def _person(*, email: str, first_name: str, last_name: str) -> tuple[User, bool]:
    """The account of ``email``, created (e-mail confirmed) when there is none."""
    email = User.objects.normalize_email(email).lower()
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        return person, False
    person = User.objects.create_user(
        email=email, password=None, first_name=first_name, last_name=last_name
    )
    person.email_confirmed_at = timezone.now()
    person.save(update_fields=["email_confirmed_at"])
    return person, True


@transaction.atomic
def mandate_create(
    *, mandate: Mandate, email: str, first_name: str = "", last_name: str = "", by=None
) -> Mandate:
    """Save a new mandate; create and invite the person's account when they have none."""
    person, created = _person(email=email, first_name=first_name, last_name=last_name)
    mandate.person = person
    mandate.full_clean()
    if by is not None:
        mandate._history_user = by
    mandate.save()
    if created:
        notifications.account_invitation(person=person, mandate=mandate)
    else:
        notifications.mandate_notice(person=person, mandate=mandate)
    return mandate


@transaction.atomic
def mandate_update(*, mandate: Mandate, by=None) -> Mandate:
    """Save changes (an end date ends the mandate; it stays in the history).

    Ending a holder's mandate ends its substitutes' on the same day: a substitute sits only
    for their holder.
    """
    mandate.full_clean()
    if by is not None:
        mandate._history_user = by
    mandate.save()
    if mandate.is_holder and mandate.end_date:
        for substitute in mandate.substitutes.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=mandate.end_date)
        ):
            substitute.end_date = max(mandate.end_date, substitute.start_date)
            if by is not None:
                substitute._history_user = by
            substitute.save(update_fields=["end_date"])
    return mandate
