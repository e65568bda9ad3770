"""Browser tests: Playwright drives the system's Chromium (never a downloaded browser)."""

import re

import pytest


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from an empty database: load the reference data again."""
    from django.apps import apps

    from ess_metro.directory.reference import load_communes
    from governance.reference import load_colleges
    from programme.reference import load_plan

    load_communes(apps.get_model("directory", "Commune"))
    load_plan(*(apps.get_model("programme", name) for name in ("Plan", "Orientation", "Axis")))
    load_colleges(apps.get_model("governance", "College"))


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.console_errors = errors
    yield page
    context.close()


def field(where, label: str):
    """The form field labelled ``label`` (a required field's label ends with an asterisk)."""
    return where.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def log_in(page, email: str, password: str) -> None:
    """Sign in through the login page as a person does (the one place browser tests log in:
    adapt it here when signing in asks for more, such as a second factor)."""
    page.goto("/compte/connexion/")
    field(page, "Adresse e-mail").fill(email)
    field(page, "Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    if "/compte/connexion/code/" in page.url:  # staff: the code their authenticator app shows
        from django.contrib.auth import get_user_model

        from demo.factories.core import totp_code

        user = get_user_model().objects.get(email=email)
        field(page, "Code de votre application d'authentification, ou code de secours").fill(
            totp_code(user)
        )
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button", name="Se connecter").click()
