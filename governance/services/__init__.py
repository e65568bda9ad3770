"""Writes of the governance app: keyword-only functions under transaction.atomic.

One module per subject; everything is importable from ``governance.services``.
"""

from ..selectors import seats_on
from .agenda import (
    agenda_item_delete,
    agenda_item_save,
    conflict_declare,
    conflicts_flag_automatic,
    document_add,
    document_delete,
)
from .mandates import mandate_create, mandate_update
from .meetings import (
    MOVING_FIELDS,
    attendance_record,
    attendance_reply,
    meeting_cancel,
    meeting_convene,
    meeting_remind,
    meeting_save,
    minutes_approve,
    minutes_save,
)
from .members import calendar_token_for, calendar_token_renew, line_comment_add
from .opinions import FilesReport, opinion_apply_to_files, opinion_record

__all__ = [
    "MOVING_FIELDS",
    "FilesReport",
    "agenda_item_delete",
    "agenda_item_save",
    "attendance_record",
    "attendance_reply",
    "calendar_token_for",
    "calendar_token_renew",
    "conflict_declare",
    "conflicts_flag_automatic",
    "document_add",
    "document_delete",
    "line_comment_add",
    "mandate_create",
    "mandate_update",
    "meeting_cancel",
    "meeting_convene",
    "meeting_remind",
    "meeting_save",
    "minutes_approve",
    "minutes_save",
    "opinion_apply_to_files",
    "opinion_record",
    "seats_on",
]
