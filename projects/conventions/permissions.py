"""Who may do what on conventions, payments, reports and amendments (``rules`` predicates).

Registered as ``projects.<name>`` permissions (``projects.apps``), and used alike by views,
templates (``{% has_perm "projects.see_iban" user convention as can_see_iban %}``), services
and the workflow transitions of ``models.py``. What a person can *see* stays decided by the
``visible_to`` querysets.
"""

import rules

from ess_metro.permissions import is_staff


@rules.predicate
def is_beneficiary_member(user, obj) -> bool:
    """``user`` belongs to the beneficiary of the convention of ``obj`` (a convention, a
    report, a payment or an amendment)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    convention = getattr(obj, "convention", obj)
    return convention.beneficiary.memberships.filter(user=user).exists()


# Only the Métro's officers read the full IBAN; a beneficiary sees it masked.
can_see_iban = is_staff
can_manage_conventions = is_staff
can_sign = is_staff
can_pay = is_staff
can_review_report = is_staff
can_amend = is_staff
can_submit_report = is_staff | is_beneficiary_member
can_change_bank_details = is_staff | is_beneficiary_member
# New bank details are confirmed by staff (and by someone other than their author: the service).
can_confirm_bank_details = is_staff

PERMISSIONS = {
    "projects.see_iban": can_see_iban,
    "projects.manage_conventions": can_manage_conventions,
    "projects.sign": can_sign,
    "projects.pay": can_pay,
    "projects.review_report": can_review_report,
    "projects.amend": can_amend,
    "projects.submit_report": can_submit_report,
    "projects.change_bank_details": can_change_bank_details,
    "projects.confirm_bank_details": can_confirm_bank_details,
}


def register() -> None:
    for name, predicate in PERMISSIONS.items():
        if not rules.perm_exists(name):
            rules.add_perm(name, predicate)
