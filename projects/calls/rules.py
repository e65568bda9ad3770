"""Pure rules of the social-innovation call: no database, no request.

The submission checks of a file (``submission_errors``) read a ``Submission``, the small
dataclass that ``selectors.submission_facts`` gathers from the database; the budget figures,
the closing time and the calendar rule are plain functions of values.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ess_metro import formatting
from ess_metro.money import ZERO, percentage

EXPENSE = "expense"
INCOME = "income"
ALL = "__all__"

# --- Calls -----------------------------------------------------------------------------------


def is_open(*, published: bool, opens_at, closes_at, now) -> bool:
    """A published call takes files from its opening second until just before its closing one:
    a file arriving at exactly the closing second is refused."""
    return published and opens_at <= now < closes_at


def closes_after_opens(opens_at, closes_at) -> bool:
    return opens_at is None or closes_at is None or closes_at > opens_at


def cap_within_envelope(aid_cap, envelope) -> bool:
    return aid_cap is None or envelope is None or aid_cap <= envelope


def end_after_start(start_date, end_date) -> bool:
    """The end of a project may be its first day, never before it."""
    return start_date is None or end_date is None or end_date >= start_date


# --- Budget ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One budget line as the rules see it."""

    kind: str
    label: str = ""
    amount: Decimal | None = None


def total(lines: Iterable[Line], kind: str) -> Decimal:
    return sum((line.amount or ZERO for line in lines if line.kind == kind), ZERO)


def total_income(lines: Iterable[Line], requested) -> Decimal:
    """Co-financing plus the amount requested from the Métro."""
    return total(lines, INCOME) + (requested or ZERO)


def requested_share(requested, expenses) -> Decimal | None:
    """The share of the project budget requested from the Métro, in percent (two decimals)."""
    return percentage(requested, expenses, 2)


def above_cap(requested, aid_cap) -> bool:
    return requested > aid_cap


def share_above_max(requested, expenses, max_share) -> bool:
    """Whether the request is above ``max_share`` percent of the expenses (exactly at is fine)."""
    return bool(expenses) and requested * 100 > max_share * expenses


def is_balanced(lines: Iterable[Line], requested) -> bool:
    lines = list(lines)
    return total_income(lines, requested) == total(lines, EXPENSE)


def grant_errors(amount, *, aid_cap, requested, remaining) -> list[str]:
    """A grant stays within the cap of the call, the amount requested and what remains."""
    errors = []
    if amount > aid_cap:
        errors.append(_("The granted amount cannot be above the cap of the call."))
    if amount > (requested or ZERO):
        errors.append(_("The granted amount cannot be above the amount requested."))
    if amount > remaining:
        errors.append(
            _("Only %(remaining)s remain in the envelope of the call.")
            % {"remaining": formatting.money(remaining)}
        )
    return errors


# --- Submission ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    pk: int
    title: str
    mandatory: bool = True


@dataclass(frozen=True)
class Submission:
    """What the submission checks need to know of a file and its call."""

    now: datetime.datetime
    is_draft: bool
    call_published: bool
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    required: dict = field(default_factory=dict)
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    legal_form_accepted: bool = True
    organisation: str = ""
    legal_form: str = ""
    whole_agglomeration: bool = False
    communes: int = 0
    min_communes: int = 0
    lines: tuple[Line, ...] = ()
    requested: Decimal | None = None
    aid_cap: Decimal = ZERO
    max_share: Decimal = ZERO
    documents: tuple[Document, ...] = ()
    present: frozenset = frozenset()


def _date_time(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def closing_errors(facts: Submission) -> list[tuple[str, str]]:
    """A first submission needs an open call; a resubmission after a request does not."""
    if not facts.is_draft or is_open(
        published=facts.call_published,
        opens_at=facts.opens_at,
        closes_at=facts.closes_at,
        now=facts.now,
    ):
        return []
    return [(ALL, closed_message(facts.closes_at))]


def closed_message(closes_at: datetime.datetime) -> str:
    message = _("The call closed on %(date)s: files can no longer be submitted.")
    return message % {"date": _date_time(closes_at)}


def required_errors(facts: Submission) -> list[tuple[str, str]]:
    message = _("This field is required to submit the file.")
    return [(name, message) for name, value in facts.required.items() if value in (None, "")]


def calendar_errors(facts: Submission) -> list[tuple[str, str]]:
    if end_after_start(facts.start_date, facts.end_date):
        return []
    return [("end_date", _("The end date must come after the start date."))]


def legal_form_errors(facts: Submission) -> list[tuple[str, str]]:
    if facts.legal_form_accepted:
        return []
    message = _("The legal form of %(organisation)s (%(form)s) is not accepted by this call.")
    return [(ALL, message % {"organisation": facts.organisation, "form": facts.legal_form})]


def communes_errors(facts: Submission) -> list[tuple[str, str]]:
    if facts.whole_agglomeration or facts.communes >= facts.min_communes:
        return []
    message = _(
        "The project must reach at least %(minimum)s communes of the Métro or the whole "
        "agglomeration (%(count)s selected)."
    )
    return [("communes", message % {"minimum": facts.min_communes, "count": facts.communes})]


def budget_line_errors(facts: Submission) -> list[tuple[str, str]]:
    message = _("Every budget line needs a label and an amount (line “%(label)s”).")
    errors = [
        ("budget", message % {"label": line.label or "—"})
        for line in facts.lines
        if line.amount is None or not line.label
    ]
    if not any(line.kind == EXPENSE for line in facts.lines):
        errors.append(("budget", _("Give at least one expense line.")))
    return errors


def amount_errors(facts: Submission) -> list[tuple[str, str]]:
    """The request: given, within the cap and the share of the budget, budget balanced."""
    requested = facts.requested
    if requested is None or requested <= 0:
        return [("requested_amount", _("Give the amount requested from the Métro."))]
    errors = []
    if above_cap(requested, facts.aid_cap):
        message = _("The amount requested (%(amount)s) is above the cap of the call (%(cap)s).")
        amounts = {"amount": formatting.money(requested), "cap": formatting.money(facts.aid_cap)}
        errors.append(("requested_amount", message % amounts))
    expenses = total(facts.lines, EXPENSE)
    if share_above_max(requested, expenses, facts.max_share):
        message = _(
            "The amount requested is %(share)s of the project budget; the call allows at most "
            "%(max)s."
        )
        shares = {
            "share": formatting.percent(requested_share(requested, expenses), 2),
            "max": formatting.percent(facts.max_share),
        }
        errors.append(("requested_amount", message % shares))
    if not is_balanced(facts.lines, requested):
        errors.append(("budget", _balance_message(facts.lines, requested, expenses)))
    return errors


def _balance_message(lines, requested, expenses) -> str:
    message = _(
        "The budget is not balanced: expenses %(expenses)s, income %(income)s (co-financing "
        "plus the amount requested)."
    )
    return message % {
        "expenses": formatting.money(expenses),
        "income": formatting.money(total_income(lines, requested)),
    }


def document_errors(facts: Submission) -> list[tuple[str, str]]:
    message = _("The document “%(title)s” is missing.")
    return [
        (f"document-{document.pk}", message % {"title": document.title})
        for document in facts.documents
        if document.mandatory and document.pk not in facts.present
    ]


CHECKS = (
    closing_errors,
    required_errors,
    calendar_errors,
    legal_form_errors,
    communes_errors,
    budget_line_errors,
    amount_errors,
    document_errors,
)


def submission_errors(facts: Submission) -> dict[str, list[str]]:
    """Everything that prevents submission, in French, keyed by the field it concerns."""
    errors: dict[str, list[str]] = {}
    for check in CHECKS:
        for key, message in check(facts):
            errors.setdefault(key, []).append(message)
    return errors
