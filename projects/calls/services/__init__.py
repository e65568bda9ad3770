"""Writes of the call part: keyword-only, typed, each in a transaction.

Changes of status go through the workflow declared on ``Call`` and ``Application``
(``ess_metro.workflow.fire``), which logs them and sends their e-mails after the commit; a
change that is not possible raises ``ValidationError`` with its reason in French.
"""

from .applicant import (
    CallClosed,
    application_save_draft,
    application_start,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_delete,
    message_post,
)
from .calls import call_close, call_publish, call_save
from .convention import WRITTEN_AGREEMENT_THRESHOLD, application_prepare_convention
from .instruction import (
    application_request_documents,
    application_set_eligibility,
    committee_opinion_record,
    decision_record,
    diagnosis_complete,
    diagnosis_save,
)
from .partners import partnership_answer, partnerships_set

__all__ = [
    "WRITTEN_AGREEMENT_THRESHOLD",
    "CallClosed",
    "application_prepare_convention",
    "application_request_documents",
    "application_save_draft",
    "application_set_eligibility",
    "application_start",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "call_close",
    "call_publish",
    "call_save",
    "committee_opinion_record",
    "decision_record",
    "diagnosis_complete",
    "diagnosis_save",
    "message_post",
    "partnership_answer",
    "partnerships_set",
]
