import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.factories.conventions import make_convention, programme_line
from demo.factories.core import OrganisationFactory
from programme.totals import amounts_by_line, registered_sources
from projects.conventions import selectors, services
from projects.conventions.models import (
    ConventionLog,
    ConventionStatus,
    PaymentKind,
    PaymentStatus,
    Report,
    ReportStatus,
    report_due_date,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _kinds(convention):
    return [
        (p.tranche.year, p.kind, p.amount, p.due_date)
        for p in convention.payments.select_related("tranche").order_by("tranche__year", "pk")
    ]


def test_schedule_for_4000_is_one_payment_at_notification(staff):
    convention = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT, user=staff)
    assert _kinds(convention) == [
        (2026, PaymentKind.SINGLE, Decimal("4000.00"), max(datetime.date(2026, 1, 31), TODAY))
    ]


def test_a_new_draft_shows_no_late_payment_and_regenerating_keeps_it_so(staff):
    """A draft prepared late in the year plans its advance from today, never before."""
    this_year = TODAY.year
    convention = make_convention(
        amounts={this_year - 1: 20000, this_year: 20000, this_year + 1: 20000},
        status=ConventionStatus.DRAFT,
        user=staff,
    )
    for regenerated in (False, True):
        if regenerated:
            services.schedule_generate(convention=convention, user=staff)
        payments = list(convention.payments.select_related("tranche", "report"))
        assert len(payments) == 6
        assert all(payment.due_date >= TODAY for payment in payments)
        assert not any(payment.is_late for payment in payments)
        next_advance = convention.payments.get(
            tranche__year=this_year + 1, kind=PaymentKind.ADVANCE
        )
        assert next_advance.due_date == datetime.date(this_year + 1, 1, 31)


def test_schedule_for_60000_over_3_years_is_80_percent_then_balance_on_report(staff):
    convention = make_convention(
        amounts={2024: 20000, 2025: 20000, 2026: 20000}, status=ConventionStatus.DRAFT, user=staff
    )
    expected = []
    for year in (2024, 2025, 2026):
        advance_on = max(datetime.date(year, 1, 31), TODAY)
        balance_on = max(datetime.date(year + 1, 6, 30), TODAY)
        expected += [
            (year, PaymentKind.ADVANCE, Decimal("16000.00"), advance_on),
            (year, PaymentKind.BALANCE, Decimal("4000.00"), balance_on),
        ]
    assert _kinds(convention) == expected
    balances = convention.payments.filter(kind=PaymentKind.BALANCE).select_related("report")
    assert {(b.report.year, b.tranche.year) for b in balances} == {
        (2024, 2024),
        (2025, 2025),
        (2026, 2026),
    }
    assert sum(p.amount for p in convention.payments.all()) == Decimal("60000.00")


def test_odd_amount_is_split_without_losing_a_cent(staff):
    convention = make_convention(amounts={2026: "12345.67"}, status=ConventionStatus.DRAFT)
    amounts = sorted(p.amount for p in convention.payments.all())
    assert amounts == [Decimal("2469.13"), Decimal("9876.54")]


def test_signing_dates_the_first_advance_at_notification(staff):
    convention = make_convention(amounts={2026: 20000}, status=ConventionStatus.DRAFT, user=staff)
    services.convention_transition(
        convention=convention,
        to_status=ConventionStatus.SIGNED,
        user=staff,
        signature_date=datetime.date(2026, 3, 4),
    )
    advance = convention.payments.get(kind=PaymentKind.ADVANCE)
    assert advance.due_date == datetime.date(2026, 3, 4)
    log = ConventionLog.objects.filter(convention=convention).first()
    assert (log.from_status, log.to_status, log.user) == ("draft", "signed", staff)


def test_reports_are_due_six_months_after_year_end(convention):
    assert [(r.year, r.due_date) for r in convention.reports.all()] == [
        (2024, datetime.date(2025, 6, 30)),
        (2025, datetime.date(2026, 6, 30)),
        (2026, datetime.date(2027, 6, 30)),
    ]
    assert report_due_date(2030) == datetime.date(2031, 6, 30)


@pytest.mark.parametrize(
    ("start", "end", "tranches", "granted", "message"),
    [
        (2024, 2028, {2024: 1000}, 1000, "Une convention dure de 1 à 4 ans."),
        (2026, 2025, {2026: 1000}, 1000, "La dernière année ne peut pas précéder la première."),
        (
            2025,
            2026,
            {2025: 1000, 2027: 1000},
            2000,
            "La tranche 2027 est en dehors des années de la convention (2025–2026).",
        ),
        (
            2025,
            2026,
            {2025: 1000, 2026: 1000},
            2500,
            "Le total des tranches est de 2\u00a0000,00\u00a0€ mais le montant accordé est de "
            "2\u00a0500,00\u00a0€.",
        ),
    ],
)
def test_convention_rules_refuse_bad_years_and_amounts(start, end, tranches, granted, message):
    with pytest.raises(ValidationError) as error:
        services.convention_create(
            beneficiary=OrganisationFactory(),
            title="Test",
            objectives="Test",
            start_year=start,
            end_year=end,
            tranches=[
                services.TrancheSpec(year, Decimal(amount), programme_line(year))
                for year, amount in tranches.items()
            ],
            amount_granted=Decimal(granted),
            user=None,
        )
    assert message in error.value.messages


def test_tranche_must_be_funded_by_its_year_programme():
    with pytest.raises(ValidationError) as error:
        services.convention_create(
            beneficiary=OrganisationFactory(),
            title="Test",
            objectives="Test",
            start_year=2026,
            end_year=2026,
            tranches=[services.TrancheSpec(2026, Decimal(1000), programme_line(2025))],
            user=None,
        )
    assert (
        "La tranche 2026 doit être financée par une ligne du programme 2026, pas de 2025."
        in error.value.messages
    )


def test_written_agreement_warning_above_23000_a_year():
    convention = make_convention(amounts={2026: 24000}, written_agreement=False)
    assert selectors.written_agreement_warnings(convention) == [
        "Une convention pluriannuelle d'objectifs écrite est obligatoire au-delà de "
        "23\u00a0000\u00a0€ par an : la tranche 2026 (24\u00a0000,00\u00a0€) n'en a pas."
    ]
    assert (
        selectors.written_agreement_warnings(
            make_convention(amounts={2026: 23000}, written_agreement=False)
        )
        == []
    )
    assert selectors.written_agreement_warnings(make_convention(amounts={2026: 50000})) == []


def test_de_minimis_sums_three_rolling_years_for_enterprises():
    company = OrganisationFactory(cooperative=True)
    make_convention(
        beneficiary=company, amounts={2024: 150000}, signed_on=datetime.date(2024, 2, 1)
    )
    make_convention(
        beneficiary=company, amounts={2025: 100000}, signed_on=datetime.date(2025, 2, 1)
    )
    # Older than three years: not counted.
    make_convention(beneficiary=company, amounts={2022: 90000}, signed_on=datetime.date(2022, 2, 1))
    today = datetime.date(2026, 11, 29)
    assert selectors.de_minimis_received(company, on=today) == Decimal("250000.00")
    assert selectors.de_minimis_warning(company, Decimal("50000"), on=today) == ""
    warning = selectors.de_minimis_warning(company, Decimal("50000.01"), on=today)
    assert warning.startswith("De minimis : ")
    assert "250\u00a0000,00\u00a0€" in warning
    assert "300\u00a0000\u00a0€" in warning


def test_de_minimis_does_not_apply_to_public_bodies():
    commune = OrganisationFactory(legal_form="commune", rna="")
    make_convention(
        beneficiary=commune, amounts={2026: 400000}, signed_on=datetime.date(2026, 1, 5)
    )
    assert (
        selectors.de_minimis_warning(commune, Decimal("1000"), on=datetime.date(2026, 6, 1)) == ""
    )


def test_payment_rules(convention, staff):
    advance = convention.payments.get(tranche__year=2024, kind=PaymentKind.ADVANCE)
    balance = convention.payments.get(tranche__year=2024, kind=PaymentKind.BALANCE)
    services.payment_transition(payment=advance, to_status=PaymentStatus.REQUESTED, user=staff)
    with pytest.raises(ValidationError) as error:
        services.payment_transition(payment=advance, to_status=PaymentStatus.PAID, user=staff)
    assert error.value.messages == ["Indiquez la date de paiement."]
    with pytest.raises(ValidationError) as error:
        services.payment_transition(
            payment=advance,
            to_status=PaymentStatus.PAID,
            user=staff,
            paid_date=datetime.date(2024, 3, 1),
        )
    assert error.value.messages == ["Indiquez la référence comptable du paiement."]
    services.payment_transition(
        payment=advance,
        to_status=PaymentStatus.PAID,
        user=staff,
        paid_date=datetime.date(2024, 3, 1),
        accounting_reference="MDT-2024-00012",
    )
    with pytest.raises(ValidationError) as error:
        services.payment_transition(payment=balance, to_status=PaymentStatus.REQUESTED, user=staff)
    assert error.value.messages == [
        "Le solde ne peut pas être versé avant l'approbation du rapport 2024."
    ]
    report = convention.reports.get(year=2024)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    services.payment_transition(payment=balance, to_status=PaymentStatus.REQUESTED, user=staff)
    balance.refresh_from_db()
    assert balance.status == PaymentStatus.REQUESTED


def test_payments_never_exceed_the_year_granted(convention, staff):
    advance = convention.payments.get(tranche__year=2025, kind=PaymentKind.ADVANCE)
    advance.amount = Decimal("16000.01")
    with pytest.raises(ValidationError) as error:
        services.payment_save(payment=advance, user=staff)
    assert error.value.messages == [
        "Les paiements de 2025 atteindraient 20\u00a0000,01\u00a0€, plus que les "
        "20\u00a0000,00\u00a0€ accordés pour cette année."
    ]


def test_no_payment_on_a_draft(staff):
    convention = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT)
    payment = convention.payments.get()
    with pytest.raises(ValidationError) as error:
        services.payment_transition(payment=payment, to_status=PaymentStatus.REQUESTED, user=staff)
    assert error.value.messages == [
        "Un paiement n'est possible que sur une convention signée ou en cours."
    ]


def test_schedule_cannot_be_regenerated_once_a_payment_is_requested(convention, staff):
    payment = convention.payments.first()
    services.payment_transition(payment=payment, to_status=PaymentStatus.REQUESTED, user=staff)
    with pytest.raises(ValidationError) as error:
        services.schedule_generate(convention=convention, user=staff)
    assert "Un paiement a déjà été demandé ou versé" in error.value.messages[0]


def test_convention_transitions(convention, staff):
    with pytest.raises(ValidationError) as error:
        services.convention_transition(
            convention=convention, to_status=ConventionStatus.TERMINATED, user=staff
        )
    assert error.value.messages == ["Indiquez le motif de la résiliation."]
    with pytest.raises(ValidationError) as error:
        services.convention_transition(
            convention=convention, to_status=ConventionStatus.CLOSED, user=staff
        )
    assert error.value.messages == [
        "Une convention ne peut être clôturée qu'une fois tous ses rapports annuels approuvés."
    ]
    with pytest.raises(ValidationError) as error:
        services.convention_transition(
            convention=convention, to_status=ConventionStatus.DRAFT, user=staff
        )
    assert error.value.messages == [
        "La convention ne peut pas passer de « En cours » à « Brouillon »."
    ]
    services.convention_transition(
        convention=convention,
        to_status=ConventionStatus.TERMINATED,
        user=staff,
        comment="Cessation d'activité de l'association.",
    )
    convention.refresh_from_db()
    assert convention.termination_reason == "Cessation d'activité de l'association."
    assert not convention.payments.filter(status=PaymentStatus.PLANNED).exists()


def test_signing_needs_a_date(staff):
    convention = make_convention(amounts={2026: 4000}, status=ConventionStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.convention_transition(
            convention=convention, to_status=ConventionStatus.SIGNED, user=staff
        )
    assert error.value.messages == ["Indiquez la date de signature."]


def test_amounts_of_a_signed_convention_cannot_change(convention, staff):
    with pytest.raises(ValidationError) as error:
        services.convention_update(convention=convention, user=staff, amount_granted=Decimal(1))
    assert error.value.messages == [
        "Les années et les montants d'une convention signée ne peuvent plus changer : préparez "
        "un avenant depuis la rubrique « Avenants » de la page de la convention."
    ]


def test_programme_totals_source(staff):
    assert "conventions" in registered_sources()
    running = make_convention(amounts={2026: 20000})
    make_convention(amounts={2026: 7000}, status=ConventionStatus.DRAFT)
    advance = running.payments.get(kind=PaymentKind.ADVANCE)
    services.payment_transition(payment=advance, to_status=PaymentStatus.REQUESTED, user=staff)
    services.payment_transition(
        payment=advance,
        to_status=PaymentStatus.PAID,
        user=staff,
        paid_date=datetime.date(2026, 2, 1),
        accounting_reference="MDT-1",
    )
    line = programme_line(2026)
    other = programme_line(2025, "Autre ligne")
    source = registered_sources()["conventions"]
    with CaptureQueriesContext(connection) as queries:
        amounts = source([line.pk, other.pk])
    assert len(queries) == 2
    assert amounts[line.pk].committed == Decimal("20000.00")
    assert amounts[line.pk].paid == Decimal("16000.00")
    assert other.pk not in amounts
    assert amounts_by_line([line.pk])[line.pk].committed >= Decimal("20000.00")


def test_staff_digest_data(convention, staff):
    data = selectors.staff_digest_data(datetime.date(2026, 11, 29))
    assert [r.year for r in data.overdue_reports] == [2024, 2025]
    # Balances wait for their report; advances of every year are due (already late).
    assert {(p.tranche.year, p.kind) for p in data.payments_due} == {
        (2024, PaymentKind.ADVANCE),
        (2025, PaymentKind.ADVANCE),
        (2026, PaymentKind.ADVANCE),
    }
