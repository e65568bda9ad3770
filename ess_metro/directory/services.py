from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ess_metro.accounts.models import User
from ess_metro.notifications import notify

from .models import Membership, MembershipRole, Organisation


@transaction.atomic
def organisation_create(*, organisation: Organisation, user: User) -> Organisation:
    """Register an organisation; the person who registers it becomes its administrator."""
    organisation._history_user = user
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, user: User) -> Organisation:
    """Save the edited record; a change of an identifier goes to the audit trail."""
    organisation._history_user = user
    organisation.save()
    return organisation


def _set_password_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def membership_invite(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    position: str = "",
    invited_by: User,
) -> Membership:
    """Add a person to the organisation, creating and inviting the account if needed."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, position=position
    )
    notify(
        "directory/member_invited",
        to=[user.email],
        context={
            "user": user,
            "organisation": organisation,
            "invited_by": invited_by,
            "set_password_path": _set_password_path(user) if created else "",
            "organisation_path": organisation.get_absolute_url(),
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Remove a member; an organisation always keeps at least one administrator."""
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN)
    if membership.role == MembershipRole.ADMIN and admins.count() <= 1:
        raise ValidationError(_("An organisation keeps at least one administrator."))
    membership.delete()
