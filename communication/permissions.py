"""Who may do what in the communication app: named predicates (the ``rules`` library).

Registered as ``"communication.<name>"`` permissions (imported from ``AppConfig.ready()``), used
alike by views (``PermissionMixin``), templates (``{% has_perm %}``), services and the
workflow transitions of ``models.py``. What a person may *see* stays decided by the
``visible_to(user)`` querysets.
"""

import rules

from ess_metro.permissions import is_applicant, is_committee_or_staff, is_staff


@rules.predicate
def is_draft(user, obj) -> bool:
    """The object (a strategy or an imported dataset) is still a draft."""
    return obj is not None and obj.status == "draft"


# Events: member organisations propose, staff publish.
can_propose_event = is_applicant
can_manage_events = is_staff
can_publish_event = is_staff

# News, working groups and meetings.
can_manage_news = is_staff
can_manage_working_groups = is_staff

# Strategy: staff draft and submit it; the committee's opinion validates it.
can_edit_strategy = is_staff
can_edit_strategy_content = is_staff & is_draft
can_validate_strategy = is_committee_or_staff

# Statistics: staff import, publish or discard a draft.
can_import_statistics = is_staff
can_discard_dataset = is_staff & is_draft

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
