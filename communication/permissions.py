"""Who may do what in the communication app: named predicates (the ``rules`` library).

Registered as ``"communication.<name>"`` permissions (imported from ``AppConfig.ready()``), used
alike by views (``PermissionMixin``), templates (``{% has_perm %}``), services and the
workflow transitions of ``models.py``. What a person may *see* stays decided by the
``visible_to(user)`` querysets.
"""

import rules

from ess_metro.permissions import is_applicant, is_committee_or_staff, is_staff

# The predicates a workflow transition takes are written with (user, obj): the transition calls
# them with both arguments.


@rules.predicate
def is_draft(user, obj) -> bool:
    """The object (a strategy or an imported dataset) is still a draft."""
    return obj is not None and obj.status == "draft"


# Events: member organisations propose, staff publish.
can_propose_event = is_applicant
can_manage_events = is_staff


@rules.predicate
def can_publish_event(user, event=None) -> bool:
    """Staff publish an event in the agenda and withdraw it."""
    return is_staff(user)


# News, working groups and meetings.
can_manage_news = is_staff
can_manage_working_groups = is_staff

# Strategy: staff draft and submit it; the committee's opinion validates it.


@rules.predicate
def can_edit_strategy(user, strategy=None) -> bool:
    """Staff draft the strategy, submit it to the committee and take it back."""
    return is_staff(user)


@rules.predicate
def can_validate_strategy(user, strategy=None) -> bool:
    """The committee's favourable opinion, recorded by staff or a member, validates it."""
    return is_committee_or_staff(user)


can_edit_strategy_content = can_edit_strategy & is_draft

# Statistics: staff import, publish or discard a draft.


@rules.predicate
def can_import_statistics(user, dataset=None) -> bool:
    """Staff import statistics files and publish them."""
    return is_staff(user)


can_discard_dataset = can_import_statistics & is_draft

rules.add_perm("communication.propose_event", can_propose_event)
rules.add_perm("communication.manage_events", can_manage_events)
rules.add_perm("communication.publish_event", can_publish_event)
rules.add_perm("communication.manage_news", can_manage_news)
rules.add_perm("communication.manage_working_groups", can_manage_working_groups)
rules.add_perm("communication.edit_strategy", can_edit_strategy)
rules.add_perm("communication.edit_strategy_content", can_edit_strategy_content)
rules.add_perm("communication.validate_strategy", can_validate_strategy)
rules.add_perm("communication.import_statistics", can_import_statistics)
rules.add_perm("communication.discard_dataset", can_discard_dataset)
