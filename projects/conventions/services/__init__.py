"""Writes of structuring projects, conventions, payments, reports and amendments:
keyword-only functions under ``transaction.atomic``. Status changes go through the models'
workflow transitions (``ess_metro.workflow.fire``), which write ``ConventionLog``; reads are in
``selectors.py``, the pure rules in ``rules.py``.

``convention_create`` and ``TrancheSpec`` are what the calls part uses to turn a granted
application into a convention.
"""

from ._common import TrancheSpec
from .amendments import (
    amendment_delete,
    amendment_sign,
    amendment_update,
    check_amendment,
    convention_amend,
)
from .bank_details import convention_confirm_bank_details, convention_set_bank_details
from .conventions import (
    convention_create,
    convention_transition,
    convention_update,
    default_parties,
    next_reference,
    structuring_project_save,
)
from .payments import (
    check_payment_amount,
    payment_delete,
    payment_save,
    payment_transition,
    schedule_generate,
)
from .reports import report_review, report_submit

__all__ = [
    "TrancheSpec",
    "amendment_delete",
    "amendment_sign",
    "amendment_update",
    "check_amendment",
    "check_payment_amount",
    "convention_amend",
    "convention_confirm_bank_details",
    "convention_create",
    "convention_set_bank_details",
    "convention_transition",
    "convention_update",
    "default_parties",
    "next_reference",
    "payment_delete",
    "payment_save",
    "payment_transition",
    "report_review",
    "report_submit",
    "schedule_generate",
    "structuring_project_save",
]
