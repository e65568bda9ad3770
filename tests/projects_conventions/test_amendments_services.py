"""Amendments (avenants): preparation, signature applied atomically, refusals, payments."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from demo.factories.conventions import make_convention, programme_line
from demo.factories.core import OrganisationFactory
from projects.conventions import rules, selectors, services
from projects.conventions.models import (
    AmendmentStatus,
    ConventionLog,
    ConventionStatus,
    LogSubject,
    PaymentKind,
    PaymentStatus,
    Report,
    ReportStatus,
)

from .amendments import amend, pay, schedule, specs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = Decimal


def test_lifecycle_draft_then_signed(convention, staff, django_capture_on_commit_callbacks):
    amendment = amend(
        convention,
        staff,
        {2024: 20000, 2025: 30000, 2026: 20000},
        objectives="Détourner 150 tonnes par an.",
    )
    assert (amendment.number, amendment.status, amendment.label) == (
        1,
        AmendmentStatus.DRAFT,
        "Avenant n°1",
    )
    convention.refresh_from_db()
    assert convention.amount_granted == D("60000.00")  # nothing changes before signature
    assert convention.tranches.get(year=2025).amount == D("20000.00")

    with django_capture_on_commit_callbacks(execute=True):
        signed = services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    convention.refresh_from_db()
    assert signed.status == AmendmentStatus.SIGNED
    assert signed.signature_date == TODAY
    assert signed.signed_by == staff
    assert convention.amount_granted == D("70000.00")
    assert convention.objectives == "Détourner 150 tonnes par an."
    assert convention.tranches.get(year=2025).amount == D("30000.00")
    assert signed.previous_terms["amount_granted"] == "60000.00"
    assert signed.previous_terms["tranches"]["2025"]["amount"] == "20000.00"
    entries = ConventionLog.objects.filter(convention=convention, subject=LogSubject.AMENDMENT)
    assert [(e.from_status, e.to_status, e.user) for e in entries] == [
        ("draft", "signed", staff),
        ("", "draft", staff),
    ]
    assert "Avenant n°1 signé le" in entries[0].comment
    assert "60\u00a0000,00\u00a0€ → 70\u00a0000,00\u00a0€" in entries[0].comment
    assert entries[0].to_label == "Signé"
    # The beneficiary is told.
    assert [m.subject for m in mail.outbox if "avenant" in m.subject] == [
        "L'avenant n°1 à votre convention CONV-2024-001 est signé"
    ]
    body = next(m.body for m in mail.outbox if "avenant" in m.subject)
    assert "L'avenant n°1 à la convention CONV-2024-001 (Recyclerie solidaire) a été signé" in body
    assert convention.get_space_url() in body
    # The next one is number 2; the objectives stay when left empty.
    second = amend(convention, staff, {2024: 20000, 2025: 30000, 2026: 25000})
    assert second.number == 2
    services.amendment_sign(amendment=second, user=staff, signature_date=TODAY)
    convention.refresh_from_db()
    assert convention.objectives == "Détourner 150 tonnes par an."
    assert convention.amount_granted == D("75000.00")


def test_comparison_before_and_after(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 30000})
    rows = selectors.amendment_comparison(amendment)
    assert [(r["year"], r["before"], r["after"], r["difference"], r["changed"]) for r in rows] == [
        (2024, D("20000.00"), D("20000.00"), D("0.00"), False),
        (2025, D("20000.00"), D("30000.00"), D("10000.00"), True),
        (2026, D("20000.00"), D("0.00"), D("-20000.00"), True),
    ]
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    amendment.refresh_from_db()
    # Once signed, "before" comes from the terms kept at signature.
    rows = selectors.amendment_comparison(amendment)
    assert [(r["year"], r["before"], r["after"]) for r in rows] == [
        (2024, D("20000.00"), D("20000.00")),
        (2025, D("20000.00"), D("30000.00")),
        (2026, D("20000.00"), D("0.00")),
    ]


def test_increase_keeps_paid_advance_and_adds_the_rest_by_the_rule(convention, staff):
    paid = pay(convention, 2025)
    untouched = set(convention.payments.filter(tranche__year=2024).values_list("pk", flat=True))
    amendment = amend(convention, staff, {2024: 20000, 2025: 30000, 2026: 20000})
    assert [
        (row["year"], row["kind"], row["amount"], row["committed"])
        for row in selectors.amendment_payment_preview(amendment)
    ] == [
        (2025, PaymentKind.ADVANCE, D("8000.00"), D("16000.00")),
        (2025, PaymentKind.BALANCE, D("6000.00"), D("16000.00")),
    ]
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert schedule(convention, 2025) == [
        (PaymentKind.ADVANCE, D("16000.00"), PaymentStatus.PAID),
        (PaymentKind.ADVANCE, D("8000.00"), PaymentStatus.PLANNED),  # 80 % of 30,000 in all
        (PaymentKind.BALANCE, D("6000.00"), PaymentStatus.PLANNED),
    ]
    assert convention.payments.get(pk=paid.pk).status == PaymentStatus.PAID
    complement = convention.payments.get(tranche__year=2025, amount=D("8000.00"))
    assert complement.due_date == TODAY  # notified by the amendment
    assert complement.condition == "Notification de l'avenant n°1 pour 2025."
    balance = convention.payments.get(tranche__year=2025, kind=PaymentKind.BALANCE)
    assert balance.report.year == 2025
    assert balance.due_date == max(datetime.date(2026, 6, 30), TODAY)
    # Unchanged years keep their payments as they were.
    assert (
        set(convention.payments.filter(tranche__year=2024).values_list("pk", flat=True))
        == untouched
    )
    total = sum(p.amount for p in convention.payments.exclude(status=PaymentStatus.CANCELLED))
    assert total == D("70000.00")


def test_decrease_rebuilds_the_year_by_the_rule(convention, staff):
    pay(convention, 2024)  # 16,000 paid
    amendment = amend(convention, staff, {2024: 17000, 2025: 20000, 2026: 4000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    # The advance already paid is above 80 % of 17,000: only the balance is left.
    assert schedule(convention, 2024) == [
        (PaymentKind.ADVANCE, D("16000.00"), PaymentStatus.PAID),
        (PaymentKind.BALANCE, D("1000.00"), PaymentStatus.PLANNED),
    ]
    # Below 5,000 €: one payment at notification.
    assert schedule(convention, 2026) == [
        (PaymentKind.SINGLE, D("4000.00"), PaymentStatus.PLANNED),
    ]
    single = convention.payments.get(tranche__year=2026)
    assert single.due_date == max(datetime.date(2026, 1, 31), TODAY)
    assert single.condition == "Notification de la tranche 2026."
    convention.refresh_from_db()
    assert convention.amount_granted == D("41000.00")


def test_extension_adds_the_year_with_its_report_and_payments(staff):
    convention = make_convention(
        amounts={2025: 10000, 2026: 10000}, status=ConventionStatus.SIGNED, user=staff
    )
    amendment = amend(convention, staff, {2025: 10000, 2026: 10000, 2027: 12000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    convention.refresh_from_db()
    assert (convention.start_year, convention.end_year) == (2025, 2027)
    assert convention.reports.get(year=2027).due_date == datetime.date(2028, 6, 30)
    assert schedule(convention, 2027) == [
        (PaymentKind.ADVANCE, D("9600.00"), PaymentStatus.PLANNED),
        (PaymentKind.BALANCE, D("2400.00"), PaymentStatus.PLANNED),
    ]
    assert convention.payments.get(tranche__year=2027, kind=PaymentKind.ADVANCE).due_date == (
        datetime.date(2027, 1, 31)
    )


def test_shortening_removes_the_year(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 20000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    convention.refresh_from_db()
    assert convention.end_year == 2025
    assert not convention.tranches.filter(year=2026).exists()
    assert not convention.reports.filter(year=2026).exists()
    assert not convention.payments.filter(tranche__year=2026).exists()


def _refusal(callable_, **kwargs):
    with pytest.raises(ValidationError) as error:
        callable_(**kwargs)
    return error.value.messages


def test_refused_below_what_is_paid(convention, staff):
    pay(convention, 2024)
    messages = _refusal(
        amend, convention=convention, user=staff, amounts={2024: 15000, 2025: 20000, 2026: 20000}
    )
    assert messages == [
        "La tranche 2024 ne peut pas descendre sous les 16\u00a0000,00\u00a0€ déjà versés ou "
        "demandés à la comptabilité : l'avenant propose 15\u00a0000,00\u00a0€ pour cette année."
    ]


def test_refused_below_what_is_requested_and_checked_again_at_signature(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 10000, 2026: 20000})
    pay(convention, 2025, status=PaymentStatus.REQUESTED)  # requested meanwhile
    pay(convention, 2026)
    messages = _refusal(
        services.amendment_sign, amendment=amendment, user=staff, signature_date=TODAY
    )
    assert messages == [
        "La tranche 2025 ne peut pas descendre sous les 16\u00a0000,00\u00a0€ déjà versés ou "
        "demandés à la comptabilité : l'avenant propose 10\u00a0000,00\u00a0€ pour cette année."
    ]
    amendment.refresh_from_db()
    convention.refresh_from_db()
    assert amendment.status == AmendmentStatus.DRAFT
    assert convention.amount_granted == D("60000.00")


def test_refused_removing_a_paid_year(convention, staff):
    pay(convention, 2026)
    messages = _refusal(amend, convention=convention, user=staff, amounts={2024: 20000})
    assert messages == [
        "La tranche 2026 ne peut pas descendre sous les 16\u00a0000,00\u00a0€ déjà versés ou "
        "demandés à la comptabilité : l'avenant propose 0,00\u00a0€ pour cette année."
    ]


def test_refused_removing_a_year_whose_report_is_submitted(convention, staff):
    report = convention.reports.get(year=2026)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    messages = _refusal(amend, convention=convention, user=staff, amounts={2024: 20000})
    assert messages == ["L'année 2026 ne peut pas être retirée : son bilan a déjà été remis."]


def test_refused_more_than_4_years(convention, staff):
    messages = _refusal(
        amend,
        convention=convention,
        user=staff,
        amounts={2024: 20000, 2025: 20000, 2026: 20000, 2027: 20000, 2028: 20000},
    )
    assert messages == ["Une convention dure de 1 à 4 ans."]


def test_refused_tranche_outside_the_years(convention, staff):
    messages = _refusal(
        amend,
        convention=convention,
        user=staff,
        amounts={2024: 20000, 2025: 20000, 2026: 20000, 2027: 5000},
        end_year=2026,
    )
    assert messages == ["La tranche 2027 est en dehors des années de la convention (2024–2026)."]


def test_refused_tranche_on_another_years_programme(convention, staff):
    tranches = specs({2024: 20000, 2025: 20000})
    tranches.append(
        services.TrancheSpec(year=2026, amount=D(20000), programme_line=programme_line(2025))
    )
    messages = _refusal(
        services.convention_amend,
        convention=convention,
        user=staff,
        reason="Changement de ligne.",
        end_year=2026,
        tranches=tranches,
    )
    assert messages == [
        "La tranche 2026 doit être financée par une ligne du programme 2026, pas de 2025."
    ]


def test_refused_future_signature_date(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    messages = _refusal(
        services.amendment_sign,
        amendment=amendment,
        user=staff,
        signature_date=TODAY + datetime.timedelta(days=1),
    )
    assert messages == ["La date de signature ne peut pas être dans le futur."]
    messages = _refusal(
        services.amendment_sign, amendment=amendment, user=staff, signature_date=None
    )
    assert messages == ["Indiquez la date de signature."]
    messages = _refusal(
        services.amendment_sign,
        amendment=amendment,
        user=staff,
        signature_date=datetime.date(2023, 12, 1),
    )
    assert messages == ["Un avenant ne peut pas être signé avant la convention (15 janvier 2024)."]


def test_refused_on_a_draft_convention_or_a_second_draft(convention, staff):
    draft = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT, user=staff)
    messages = _refusal(amend, convention=draft, user=staff, amounts={2026: 5000})
    assert messages == ["Seule une convention signée ou en cours peut faire l'objet d'un avenant."]
    amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    messages = _refusal(
        amend, convention=convention, user=staff, amounts={2024: 20000, 2025: 20000}
    )
    assert messages == [
        "Un avenant est déjà en préparation pour cette convention : terminez-le d'abord."
    ]


def test_signed_amendment_cannot_change_or_be_signed_twice(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert _refusal(
        services.amendment_sign, amendment=amendment, user=staff, signature_date=TODAY
    ) == ["Cet avenant est déjà signé."]
    assert _refusal(
        services.amendment_update,
        amendment=amendment,
        user=staff,
        reason="Autre",
        end_year=2026,
        tranches=specs({2024: 1}),
    ) == ["Un avenant signé ne peut plus changer."]
    assert _refusal(services.amendment_delete, amendment=amendment, user=staff) == [
        "Un avenant signé ne peut pas être supprimé."
    ]


def test_update_and_abandon_a_draft(convention, staff):
    amendment = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    services.amendment_update(
        amendment=amendment,
        user=staff,
        reason="Nouvelle action de réparation.",
        end_year=2026,
        tranches=specs({2024: 20000, 2025: 20000, 2026: 28000}),
    )
    amendment.refresh_from_db()
    assert amendment.reason == "Nouvelle action de réparation."
    assert amendment.amount_granted == D("68000.00")
    services.amendment_delete(amendment=amendment, user=staff)
    assert not convention.amendments.exists()
    assert convention.log.filter(subject=LogSubject.AMENDMENT, to_status="").exists()


def test_signing_warns_written_agreement_and_de_minimis(staff):
    company = OrganisationFactory(cooperative=True)
    make_convention(beneficiary=company, amounts={2025: 250000}, signed_on=TODAY)
    convention = make_convention(
        beneficiary=company,
        amounts={2026: 20000},
        written_agreement=False,
        signed_on=datetime.date(2026, 1, 10),
        user=staff,
    )
    amendment = amend(convention, staff, {2026: 60000})
    warnings = selectors.amendment_warnings(amendment)
    assert len(warnings) == 2
    # Above 23,000 € a year, the law requires a written agreement: the signature is refused.
    with pytest.raises(ValidationError) as error:
        services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert error.value.messages[0].startswith(
        "Une convention pluriannuelle d'objectifs écrite est obligatoire au-delà de "
        "23\u00a0000\u00a0€ par an : la tranche 2026"
    )
    assert "Cochez « convention pluriannuelle d’objectifs écrite »" in error.value.messages[1]
    convention.written_agreement = True
    convention.save(update_fields=["written_agreement"])
    signed = services.amendment_sign(amendment=amendment, user=staff, signature_date=TODAY)
    assert len(signed.warnings) == 1
    assert signed.warnings[0].startswith("De minimis : ")
    assert "avec 60\u00a0000,00\u00a0€ de plus" in signed.warnings[0]
    assert "le plafond de 300\u00a0000\u00a0€ serait dépassé" in signed.warnings[0]


@pytest.mark.parametrize(
    ("amount", "notification", "balance", "expected"),
    [
        ("30000", "16000", "0", [("advance", "8000"), ("balance", "6000")]),
        ("17000", "16000", "0", [("balance", "1000")]),
        ("4000", "0", "0", [("single", "4000")]),
        ("4000", "4000", "0", []),
        ("25000", "16000", "4000", [("advance", "4000"), ("balance", "1000")]),
    ],
)
def test_year_plan(amount, notification, balance, expected):
    plan = rules.year_plan(
        D(amount), committed_notification=D(notification), committed_balance=D(balance)
    )
    assert plan == [(kind, D(value)) for kind, value in expected]
