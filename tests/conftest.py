import os
import shutil

import pytest
from django.test import Client
from django.utils import translation

from demo.factories import core as factories


def _keep_connections_inside_test_transactions():
    """Closing a response (a file download) sends request_finished, whose handler closes a
    connection whose autocommit differs from the settings: on PostgreSQL that is the test's
    own transaction. Outside tests that check is right; inside a test transaction it is not."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper.close_if_unusable_or_obsolete

    def close_unless_in_atomic_block(self):
        if self.in_atomic_block:
            return
        original(self)

    BaseDatabaseWrapper.close_if_unusable_or_obsolete = close_unless_in_atomic_block


_keep_connections_inside_test_transactions()


@pytest.fixture(autouse=True)
def _requests_commit(monkeypatch, django_capture_on_commit_callbacks):
    """A request made with the test client ends the way a real one does: what it queued for
    after the commit (e-mails) runs when the request returns. The test's own transaction
    never commits, so without this no e-mail would leave; a service called directly from a
    test needs ``django_capture_on_commit_callbacks(execute=True)`` for the same reason."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(autouse=True)
def _force_login_is_a_full_login(monkeypatch):
    """``client.force_login(user)`` stands for a complete login: for staff, the password and
    the second factor (their session is marked verified, as the login's second step does).
    ``second_factor=False`` stops after the password, for the tests of that rule."""
    original = Client.force_login

    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        if second_factor and factories.needs_second_factor(user):
            factories.verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counter, no cached page from a
    rolled-back test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _french(settings):
    """Every test runs in French, as the portal does by default."""
    settings.LANGUAGE_CODE = "fr"
    with translation.override("fr"):
        yield


@pytest.fixture
def staff(db):
    return factories.make_staff(first_name="Claire", last_name="Dupont")


@pytest.fixture
def applicant(db):
    return factories.make_applicant()


@pytest.fixture
def other_applicant(db):
    return factories.make_applicant()


@pytest.fixture
def committee_member(db):
    return factories.make_committee_member()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def applicant_client(applicant):
    return _client_for(applicant)


@pytest.fixture
def other_applicant_client(other_applicant):
    return _client_for(other_applicant)


@pytest.fixture
def committee_client(committee_member):
    return _client_for(committee_member)


@pytest.fixture
def role_clients(
    anonymous_client, applicant_client, other_applicant_client, committee_client, staff_client
):
    """One client per role, for the per-role access tests every URL gets."""
    return {
        "anonymous": anonymous_client,
        "applicant": applicant_client,
        "other_applicant": other_applicant_client,
        "committee": committee_client,
        "staff": staff_client,
    }


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (transactional, browser) run last, as in Django.

    pytest-randomly shuffles the order; this keeps its shuffle within each group.
    """
    result = yield
    items.sort(key=_flushes_database)
    return result


# --- The session's Chromium, shared by tests/browser and tests/site (one Playwright per
# process: a second sync_playwright() in the same thread fails inside the first one's loop).

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# fixtures there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is required in CI for the browser tests (apt-get install chromium)."
            )
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
