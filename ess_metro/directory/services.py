from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ess_metro import workflow
from ess_metro.accounts.models import User
from ess_metro.notifications import notify

from .models import (
    InvitationStatus,
    Membership,
    MembershipInvitation,
    MembershipRole,
    Organisation,
)


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
) -> MembershipInvitation:
    """Invite a person to join; they become a member only once they accept.

    The e-mail leads a person who has an account to their invitations, and a newcomer to
    sign-up with the invited address; nobody is added without saying yes.
    """
    email = email.strip().lower()
    if organisation.invitations.pending().filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This person has already been invited.")})
    invitation = MembershipInvitation.objects.create(
        organisation=organisation,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        position=position,
        invited_by=invited_by,
    )
    notify(
        "directory/member_invited",
        to=[email],
        context={
            "invitation": invitation,
            "organisation": organisation,
            "invited_by": invited_by,
            "has_account": User.objects.filter(email__iexact=email).exists(),
        },
    )
    return invitation


@transaction.atomic
def invitation_answer(
    *, invitation: MembershipInvitation, user: User, accept: bool
) -> Membership | None:
    """The invited person accepts (and becomes a member) or declines."""
    invitation = MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_answerable(invitation, user)
    workflow.fire(invitation, "accept" if accept else "decline", user=user)
    if not accept:
        return None
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"role": invitation.role, "position": invitation.position},
    )
    return membership


def _check_answerable(invitation: MembershipInvitation, user: User) -> None:
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered or cancelled."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    if not user.email_confirmed_at:
        raise ValidationError(_("Confirm your e-mail address before answering the invitation."))


@transaction.atomic
def invitation_cancel(*, invitation: MembershipInvitation, cancelled_by: User) -> None:
    """An administrator withdraws an invitation that has not been answered."""
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered or cancelled."))
    workflow.fire(invitation, "cancel", user=cancelled_by)


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Remove a member; an organisation always keeps at least one administrator."""
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = organisation.memberships.filter(role=MembershipRole.ADMIN)
    if membership.role == MembershipRole.ADMIN and admins.count() <= 1:
        raise ValidationError(_("An organisation keeps at least one administrator."))
    membership.delete()
