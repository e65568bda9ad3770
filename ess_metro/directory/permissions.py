"""Who may do what in the directory (named predicates, registered as ``directory.<name>``).

Reads stay filtered by ``Organisation.objects.visible_to(user)``: these predicates decide what
a person may do with an organisation they can already see.
"""

import rules

from ess_metro.permissions import is_staff

from .models import MembershipRole


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    """The person administers the organisation (a membership with the administrator role)."""
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user, role=MembershipRole.ADMIN).exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_the_invitee(user, invitation) -> bool:
    """The person the invitation was sent to, once their address is confirmed."""
    if invitation is None or not user.is_authenticated or not user.email_confirmed_at:
        return False
    return user.email.lower() == invitation.email.lower()


@rules.predicate
def manages_the_invitation(user, invitation) -> bool:
    return invitation is not None and bool(can_manage_members.test(user, invitation.organisation))


# Staff and the organisation's administrators manage its members.
can_manage_members = is_staff | is_organisation_admin
# Staff and every member of the organisation edit its record.
can_edit_organisation = is_staff | is_organisation_member
# The audit trail of the identifiers (SIRET, RNA, APE, ESUS) is read by staff.
can_see_audit_trail = is_staff
# The whole directory (every organisation, the INSEE codes of the communes) is staff's.
can_manage_directory = is_staff

rules.add_perm("directory.manage_members", can_manage_members)
rules.add_perm("directory.edit_organisation", can_edit_organisation)
rules.add_perm("directory.see_audit_trail", can_see_audit_trail)
rules.add_perm("directory.manage_directory", can_manage_directory)
