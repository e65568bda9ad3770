"""In a real browser, the convention's status form shows the saved signature date: the value
is an ISO date that Chromium's ``<input type="date">`` accepts (it used to be ``10/03/2025``,
which the browser shows as empty, so saving the form lost the date)."""

import datetime

import pytest

from demo.factories.conventions import make_convention
from demo.factories.core import PASSWORD, make_staff, totp_code
from projects.conventions.models import ConventionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Staff then give the code their authenticator app shows (computed from the device's key).
    page.locator("input[name=code]").fill(totp_code(user))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_signature_date_shows_its_saved_value_in_the_browser(page):
    staff = make_staff()
    convention = make_convention(
        amounts={2025: 20000, 2026: 20000},
        status=ConventionStatus.SIGNED,
        signed_on=datetime.date(2025, 3, 10),
        user=staff,
    )
    _log_in(page, staff)
    page.goto(convention.get_absolute_url())
    field = page.locator("input[name=signature_date]")
    assert field.get_attribute("type") == "date"
    # The browser's own reading of the field: empty when it could not parse the value.
    assert field.input_value() == "2025-03-10"
    assert field.evaluate("input => input.valueAsDate.toISOString().slice(0, 10)") == "2025-03-10"
