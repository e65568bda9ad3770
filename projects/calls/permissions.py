"""Who may do what with a call and its files (registered as ``projects.<name>``).

What a person may *see* stays decided by ``visible_to(user)``; these predicates decide what a
person may *do*, in views, templates (``{% has_perm "projects.edit_application" user file %}``),
services and workflow transitions alike.
"""

import rules

from ess_metro.permissions import is_staff


@rules.predicate
def is_member_of_file(user, application) -> bool:
    """A member of the organisation that carries the file."""
    if application is None or not user.is_authenticated:
        return False
    return application.organisation.memberships.filter(user=user).exists()


@rules.predicate
def started_the_file(user, application) -> bool:
    return application is not None and application.created_by_id == user.pk


# The person who started the file or any member of its organisation.
is_applicant_of_file = started_the_file | is_member_of_file


@rules.predicate
def file_is_editable(user, application) -> bool:
    return application is not None and application.is_editable


@rules.predicate
def file_is_open(user, application) -> bool:
    return application is not None and not application.is_final


@rules.predicate
def file_is_under_diagnosis(user, application) -> bool:
    return application is not None and application.is_under_diagnosis


@rules.predicate
def administers_the_partner(user, partnership) -> bool:
    """An administrator of the organisation named as a partner."""
    if partnership is None or not user.is_authenticated:
        return False
    return partnership.organisation.memberships.filter(user=user, role="admin").exists()


@rules.predicate
def partnership_is_pending(user, partnership) -> bool:
    return partnership is not None and partnership.status == "pending"


can_answer_partnership = administers_the_partner & partnership_is_pending
can_manage_calls = is_staff
can_instruct = is_staff
can_see_diagnosis = is_staff
can_edit_diagnosis = is_staff & file_is_under_diagnosis
can_edit_application = is_applicant_of_file & file_is_editable
can_submit_application = is_applicant_of_file
can_withdraw_application = is_applicant_of_file & file_is_open

PERMISSIONS = {
    "projects.manage_calls": can_manage_calls,
    "projects.instruct_application": can_instruct,
    "projects.see_diagnosis": can_see_diagnosis,
    "projects.edit_diagnosis": can_edit_diagnosis,
    "projects.edit_application": can_edit_application,
    "projects.submit_application": can_submit_application,
    "projects.withdraw_application": can_withdraw_application,
    "projects.answer_partnership": can_answer_partnership,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)
