"""Boundary tests of the pure rules of the call (no database): just below, at, just above."""

import dataclasses
import datetime
from decimal import Decimal as D

import pytest

from projects.calls import rules
from projects.calls.rules import Document, Line, Submission

UTC = datetime.UTC
CLOSES = datetime.datetime(2026, 3, 1, 16, 0, tzinfo=UTC)  # 17:00 in Paris
OPENS = datetime.datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
SECOND = datetime.timedelta(seconds=1)
TICK = datetime.timedelta(microseconds=1)

REQUIRED = {
    "title": "Recyclerie",
    "summary": "Une recyclerie.",
    "social_need": "Déchets.",
    "innovation": "Mobile.",
    "start_date": datetime.date(2026, 9, 1),
    "end_date": datetime.date(2027, 6, 30),
    "contact_name": "Camille",
    "contact_email": "camille@exemple.fr",
}
BALANCED = (
    Line(kind="expense", label="Salaires", amount=D("20000.00")),
    Line(kind="expense", label="Véhicule", amount=D("5000.00")),
    Line(kind="income", label="Département", amount=D("15000.00")),
)


def complete(**changes) -> Submission:
    """A file that meets every rule: 10 000 € asked of a 25 000 € budget (40 %)."""
    facts = Submission(
        now=CLOSES - datetime.timedelta(days=1),
        is_draft=True,
        call_published=True,
        opens_at=OPENS,
        closes_at=CLOSES,
        required=dict(REQUIRED),
        start_date=REQUIRED["start_date"],
        end_date=REQUIRED["end_date"],
        legal_form_accepted=True,
        organisation="Recyclerie des Alpes",
        legal_form="Association loi 1901",
        whole_agglomeration=False,
        communes=2,
        min_communes=2,
        lines=BALANCED,
        requested=D("10000.00"),
        aid_cap=D("15000.00"),
        max_share=D("50"),
        documents=(Document(pk=1, title="Statuts"), Document(pk=2, title="RIB", mandatory=False)),
        present=frozenset({1}),
    )
    return dataclasses.replace(facts, **changes)


def errors(**changes) -> dict:
    return rules.submission_errors(complete(**changes))


def test_a_complete_file_has_no_problem():
    assert errors() == {}


# --- The closing time ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - TICK, False),
        (OPENS, True),
        (CLOSES - TICK, True),
        (CLOSES, False),  # a file arriving at exactly the closing second is refused
        (CLOSES + SECOND, False),
    ],
)
def test_call_is_open_from_its_opening_until_just_before_its_closing(now, expected):
    assert rules.is_open(published=True, opens_at=OPENS, closes_at=CLOSES, now=now) is expected


def test_an_unpublished_call_is_never_open():
    assert not rules.is_open(published=False, opens_at=OPENS, closes_at=CLOSES, now=CLOSES - SECOND)


@pytest.mark.parametrize("now", [CLOSES, CLOSES + SECOND])
def test_first_submission_at_or_after_the_closing_second_is_refused(now):
    problems = errors(now=now)
    assert list(problems) == ["__all__"]
    assert problems["__all__"] == [
        "L'appel a été clôturé le 1 mars 2026 17:00 : il n'est plus possible de déposer un dossier."
    ]


def test_submission_one_second_before_closing_is_accepted():
    assert errors(now=CLOSES - SECOND) == {}


def test_submission_to_an_unpublished_call_is_refused():
    assert "__all__" in errors(call_published=False)


def test_resubmission_after_a_request_is_accepted_after_closing():
    assert errors(is_draft=False, now=CLOSES + datetime.timedelta(days=3)) == {}


# --- Dates of a call and of a project --------------------------------------------------------


def test_closing_must_come_after_opening():
    assert rules.closes_after_opens(OPENS, OPENS + SECOND)
    assert not rules.closes_after_opens(OPENS, OPENS)
    assert not rules.closes_after_opens(OPENS, OPENS - SECOND)
    assert rules.closes_after_opens(None, OPENS)
    assert rules.closes_after_opens(OPENS, None)


def test_end_date_may_be_the_start_date_but_not_before():
    day = datetime.date(2026, 9, 1)
    assert rules.end_after_start(day, day)
    assert rules.end_after_start(day, day + datetime.timedelta(days=1))
    assert not rules.end_after_start(day, day - datetime.timedelta(days=1))
    assert rules.end_after_start(None, day)
    assert rules.end_after_start(day, None)


def test_end_before_start_prevents_submission():
    start = datetime.date(2026, 9, 1)
    assert errors(start_date=start, end_date=start) == {}
    problems = errors(start_date=start, end_date=start - datetime.timedelta(days=1))
    assert problems == {"end_date": ["La date de fin doit être postérieure à la date de début."]}


def test_missing_end_date_is_reported_as_required_not_as_a_crash():
    required = {**REQUIRED, "end_date": None}
    problems = errors(required=required, end_date=None)
    assert problems == {"end_date": ["Ce champ est obligatoire pour déposer le dossier."]}


# --- Required fields, legal form, communes ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(REQUIRED))
@pytest.mark.parametrize("empty", [None, ""])
def test_each_required_field(name, empty):
    problems = errors(required={**REQUIRED, name: empty})
    assert problems == {name: ["Ce champ est obligatoire pour déposer le dossier."]}


def test_legal_form_not_accepted():
    assert errors(legal_form_accepted=False) == {
        "__all__": [
            "La forme juridique de Recyclerie des Alpes (Association loi 1901) n'est pas "
            "acceptée par cet appel."
        ]
    }


@pytest.mark.parametrize(("communes", "refused"), [(1, True), (2, False), (3, False)])
def test_minimum_number_of_communes(communes, refused):
    assert ("communes" in errors(communes=communes)) is refused


def test_communes_message_gives_the_minimum_and_the_count():
    assert errors(communes=1, min_communes=3)["communes"] == [
        "Le projet doit toucher au moins 3 communes de la Métropole ou toute "
        "l'agglomération (1 sélectionnée(s))."
    ]


def test_whole_agglomeration_meets_the_communes_rule():
    assert errors(communes=0, whole_agglomeration=True) == {}


# --- Budget lines ----------------------------------------------------------------------------


def test_at_least_one_expense_line():
    lines = (Line(kind="income", label="Département", amount=D("15000.00")),)
    problems = errors(lines=lines, requested=D("10000.00"))
    assert problems["budget"][0] == "Indiquez au moins une ligne de dépense."


def test_one_expense_line_is_enough():
    lines = (
        Line(kind="expense", label="Salaires", amount=D("25000.00")),
        Line(kind="income", label="Département", amount=D("15000.00")),
    )
    assert errors(lines=lines) == {}


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (Line(kind="expense", label="", amount=D("100.00")), "—"),
        (Line(kind="income", label="Don", amount=None), "Don"),
    ],
)
def test_every_line_needs_a_label_and_an_amount(line, shown):
    problems = errors(lines=(*BALANCED, line))
    assert problems["budget"][0] == (
        f"Chaque ligne du budget doit avoir un libellé et un montant (ligne « {shown} »)."
    )


def test_totals_of_the_budget():
    assert rules.total(BALANCED, rules.EXPENSE) == D("25000.00")
    assert rules.total(BALANCED, rules.INCOME) == D("15000.00")
    assert rules.total_income(BALANCED, D("10000.00")) == D("25000.00")
    assert rules.total_income(BALANCED, None) == D("15000.00")
    lines = (*BALANCED, Line(kind="expense", label="À chiffrer", amount=None))
    assert rules.total(lines, rules.EXPENSE) == D("25000.00")
    empty = rules.total((), rules.EXPENSE)
    assert (empty, str(empty)) == (D("0.00"), "0.00")  # a Decimal in euros, never the int 0


@pytest.mark.parametrize(
    ("requested", "balanced"),
    [(D("9999.99"), False), (D("10000.00"), True), (D("10000.01"), False)],
)
def test_budget_balance(requested, balanced):
    assert rules.is_balanced(BALANCED, requested) is balanced


def test_unbalanced_budget_message():
    problems = errors(requested=D("9000.00"))
    assert problems == {
        "budget": [
            "Le budget n'est pas équilibré : dépenses 25\u00a0000,00\u00a0€, recettes "
            "24\u00a0000,00\u00a0€ (cofinancements plus montant demandé)."
        ]
    }


# --- The amount requested: cap and share -----------------------------------------------------


@pytest.mark.parametrize("requested", [None, D("0"), D("-1")])
def test_an_amount_must_be_requested(requested):
    assert errors(requested=requested) == {
        "requested_amount": ["Indiquez le montant demandé à la Métropole."]
    }


def test_a_cent_is_an_amount():
    problems = errors(requested=D("0.01"))
    assert "requested_amount" not in problems and "budget" in problems


@pytest.mark.parametrize(
    ("requested", "above"),
    [(D("14999.99"), False), (D("15000.00"), False), (D("15000.01"), True)],
)
def test_cap_of_the_call(requested, above):
    assert rules.above_cap(requested, D("15000.00")) is above


def lines_for(requested, expenses=D("40000.00")):
    """A balanced budget of ``expenses`` for ``requested``."""
    return (
        Line(kind="expense", label="Salaires", amount=expenses),
        Line(kind="income", label="Département", amount=expenses - requested),
    )


def test_a_request_exactly_at_the_cap_is_accepted():
    assert errors(requested=D("15000.00"), lines=lines_for(D("15000.00"))) == {}


def test_a_request_a_cent_above_the_cap_is_refused():
    requested = D("15000.01")
    assert errors(requested=requested, lines=lines_for(requested)) == {
        "requested_amount": [
            "Le montant demandé (15\u00a0000,01\u00a0€) est au-dessus du plafond de l'appel "
            "(15\u00a0000,00\u00a0€)."
        ]
    }


@pytest.mark.parametrize(
    ("requested", "above"),
    [(D("9999.99"), False), (D("10000.00"), False), (D("10000.01"), True)],
)
def test_share_of_the_budget(requested, above):
    assert rules.share_above_max(requested, D("20000.00"), D("50")) is above


def test_share_rule_needs_expenses():
    assert not rules.share_above_max(D("1"), D("0.00"), D("50"))


def test_a_request_exactly_at_the_maximum_share_is_accepted():
    requested = D("10000.00")
    assert errors(requested=requested, lines=lines_for(requested, D("20000.00"))) == {}


def test_a_request_above_the_maximum_share_is_refused_with_the_share():
    requested = D("10000.01")
    assert errors(requested=requested, lines=lines_for(requested, D("20000.00"))) == {
        "requested_amount": [
            "Le montant demandé représente 50,00\u00a0% du budget du projet ; l'appel autorise "
            "au plus 50\u00a0%."
        ]
    }


@pytest.mark.parametrize(
    ("requested", "expenses", "share"),
    [
        (D("10000"), D("25000"), D("40.00")),
        (D("1"), D("3"), D("33.33")),
        (D("2"), D("3"), D("66.67")),
        (D("1"), D("0"), None),
        (None, D("25000"), None),
    ],
)
def test_requested_share(requested, expenses, share):
    assert rules.requested_share(requested, expenses) == share


def test_cap_within_envelope():
    assert rules.cap_within_envelope(D("60000"), D("60000"))
    assert not rules.cap_within_envelope(D("60000.01"), D("60000"))
    assert rules.cap_within_envelope(None, D("60000"))
    assert rules.cap_within_envelope(D("60000"), None)


# --- Documents -------------------------------------------------------------------------------


def test_missing_mandatory_document():
    assert errors(present=frozenset()) == {"document-1": ["La pièce « Statuts » manque."]}


def test_optional_document_may_be_missing_and_extra_ones_are_fine():
    assert errors(present=frozenset({1, 2})) == {}
    assert errors(present=frozenset({1, None})) == {}


def test_every_problem_is_reported_in_order():
    problems = errors(
        now=CLOSES,
        legal_form_accepted=False,
        communes=0,
        requested=D("20000.00"),
        present=frozenset(),
    )
    assert list(problems) == ["__all__", "communes", "requested_amount", "budget", "document-1"]
    assert len(problems["__all__"]) == 2
    assert len(problems["requested_amount"]) == 2


# --- The grant -------------------------------------------------------------------------------

CAP_MESSAGE = "Le montant accordé ne peut pas dépasser le plafond de l'appel."
REQUESTED_MESSAGE = "Le montant accordé ne peut pas dépasser le montant demandé."


def grant(amount, *, aid_cap="15000", requested="10000", remaining="50000"):
    return rules.grant_errors(
        D(amount), aid_cap=D(aid_cap), requested=D(requested), remaining=D(remaining)
    )


def test_a_grant_up_to_the_request_the_cap_and_what_remains_is_fine():
    assert grant("10000.00") == []
    assert grant("15000.00", requested="15000", remaining="15000") == []


def test_a_grant_a_cent_above_the_cap():
    assert grant("15000.01", requested="20000") == [CAP_MESSAGE]


def test_a_grant_a_cent_above_the_request():
    assert grant("10000.01") == [REQUESTED_MESSAGE]


def test_a_grant_without_a_request_is_above_it():
    assert rules.grant_errors(D("1"), aid_cap=D("15000"), requested=None, remaining=D("50000")) == [
        REQUESTED_MESSAGE
    ]


def test_a_grant_a_cent_above_what_remains():
    assert grant("5000.01", remaining="5000") == [
        "Il ne reste que 5\u00a0000,00\u00a0€ dans l'enveloppe de l'appel."
    ]
