from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.conventions.models import AmendmentStatus, Convention, ConventionAmendment

pytestmark = pytest.mark.django_db


def test_demo_has_one_signed_amendment_and_stays_idempotent():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    year = timezone.localdate().year
    amendment = ConventionAmendment.objects.get()
    convention = Convention.objects.get(reference=f"CONV-{year - 2}-001")
    assert amendment.convention == convention
    assert amendment.status == AmendmentStatus.SIGNED
    assert convention.tranches.get(year=year).amount == Decimal("30000.00")
    assert convention.amount_granted == Decimal("78000.00")
    payments = convention.payments.filter(tranche__year=year).exclude(status="cancelled")
    assert sum(p.amount for p in payments) == Decimal("30000.00")
