"""The whole portal, seeded once with the demo data, walked as each role.

The demo data is loaded once for this folder inside a transaction rolled back at the end, so
the other tests never see it. Each role's crawl is made once and shared by the tests here.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from .browser import BASE_URL, serve_with
from .crawl import crawl

# The demo account that holds each role (demo/core.py); None is the anonymous visitor.
ROLE_ACCOUNTS = {
    "anonymous": None,
    "applicant": "porteur@essmetro.example",
    "committee": "comite@essmetro.example",
    "staff": "chargee@essmetro.example",
}
ROLES = list(ROLE_ACCOUNTS)


def client_for(role: str) -> Client:
    """A client signed in as the demo account of ``role`` (the one place that signs in)."""
    from ess_metro.accounts.models import User

    client = Client()
    email = ROLE_ACCOUNTS[role]
    if email:
        client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data, for every test of this folder; rolled back after the last one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="package")
def crawls(demo_site):
    """Each role's walk from the home page (made on first use, shared by the tests)."""
    cache = {}

    def get(role):
        if role not in cache:
            cache[role] = crawl(client_for(role))
        return cache[role]

    return get


@pytest.fixture
def site(demo_site, db, crawls):
    return crawls


@pytest.fixture
def browser_as(browser, site):
    """A Chromium page signed in as ``role``, served by the test client (no live server)."""
    contexts = []

    def make(role, *, width=1280, height=900):
        context = browser.new_context(
            base_url=BASE_URL, locale="fr-FR", viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        serve_with(page, client_for(role))
        return page

    yield make
    for context in contexts:
        context.close()
