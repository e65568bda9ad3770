"""The demo data tells one story: no seeded text links to a page that does not exist.

Links drawn by the pages (a news item's programme, an agenda item's programme…) are followed by
the crawl of every role (test_reachability.test_no_link_is_broken); this test reads the texts
themselves: every URL or local path written in any text field of the seeded rows.
"""

import re
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models

from .conftest import client_for

URL = re.compile(r"https?://[^\s\"'<>)»]+|(?<![\w/.:])/[a-z][\w\-/.]*/(?![\w])")


def text_fields(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.TextField, models.CharField, models.URLField))
        and not field.choices
    ]


def seeded_links() -> dict[str, str]:
    """Every URL found in the seeded texts → where it was found."""
    found = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin", "contenttypes", "auth"}:
            continue
        fields = text_fields(model)
        if not fields:
            continue
        for row in model._default_manager.values("pk", *fields):
            for name in fields:
                for url in URL.findall(str(row[name] or "")):
                    found.setdefault(url.rstrip(".,;"), f"{model._meta.label}#{row['pk']}.{name}")
    return found


def local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.netloc:
        return parts.path
    if parts.netloc == urlsplit(settings.SITE_URL).netloc:
        return parts.path
    return None


def test_every_link_in_the_seeded_texts_leads_somewhere(demo_site, db):
    links = seeded_links()
    assert any(url.startswith("https://") for url in links), "the demo texts hold links"
    staff, anonymous = client_for("staff"), client_for("anonymous")
    dead = []
    for url, where in sorted(links.items()):
        path = local_path(url)
        if path is None:
            assert urlsplit(url).netloc, f"malformed link {url} in {where}"
            continue
        statuses = {client.get(path).status_code for client in (anonymous, staff)}
        if statuses == {404}:
            dead.append(f"{url} in {where}")
    assert dead == []
