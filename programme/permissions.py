"""Who may do what in the programme app: named predicates (the ``rules`` library).

Registered as ``"programme.<name>"`` permissions (``ProgrammeConfig.ready()`` imports this
module) and used alike by views (``PermissionMixin``), templates
(``{% has_perm "programme.manage" user as can_manage %}``), services (``require_manager``) and
the annual programme's transitions (``permission=`` of each ``@transition``).
"""

import rules
from django.core.exceptions import PermissionDenied

from ess_metro.permissions import as_transition_permission, is_staff, require

MANAGE = "programme.manage"
SEE_WORKFLOW_PEOPLE = "programme.see_workflow_people"
MOVE_PROGRAMME = "programme.move_programme"

# Métro staff write the plan's annual programmes and manage the development tools.
can_manage_programmes = is_staff
# Who moved a programme from one step to the next is shown to staff only.
can_see_workflow_people = is_staff


@rules.predicate
def can_move_programme(user, programme) -> bool:
    """Every step of the annual programme's workflow is taken by Métro staff (the committee's
    opinion too: staff record it from the meeting, through the governance app)."""
    return can_manage_programmes.test(user)


may_move_programme = as_transition_permission(can_move_programme)

rules.add_perm(MANAGE, can_manage_programmes)
rules.add_perm(SEE_WORKFLOW_PEOPLE, can_see_workflow_people)
rules.add_perm(MOVE_PROGRAMME, can_move_programme)


def require_manager(user) -> None:
    """Raise PermissionDenied unless ``user`` may manage programmes and tools."""
    if user is None:
        raise PermissionDenied
    require(user, MANAGE)
