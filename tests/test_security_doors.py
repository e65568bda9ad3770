"""Issue 12, item 7: the smaller doors. Feeds carry plain text, the PDF renderer loads only
the portal's own static files, the ``Server`` header names no Python version, and the Django
admin has the portal's Content-Security-Policy (browser test: tests/browser/test_admin_csp.py)."""

import io
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from demo.factories.communication import EventFactory
from demo.factories.core import UserFactory
from ess_metro.pdf import _html_to_pdf, _static_url_fetcher, static_file_for

HOSTILE = '<script>alert(1)</script><b>Gras</b> et <img src="x" onerror="alert(2)"> a < b'


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "tag"),
    [("events_rss", "channel/item/description"), ("events_atom", "atom:entry/atom:summary")],
)
def test_event_feeds_carry_plain_text(client, name, tag):
    EventFactory(description=HOSTILE)
    root = ET.fromstring(client.get(reverse(f"communication:{name}")).content)  # noqa: S314
    text = root.find(tag, {"atom": "http://www.w3.org/2005/Atom"}).text
    # What a feed reader takes as HTML holds no tag at all: every "<" is text.
    assert "<" not in text and ">" not in text
    assert "Gras et" in text and "a &lt; b" in text
    assert "alert(2)" not in text and "onerror" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://portal.local/static/../../../etc/passwd",
        "http://portal.local/static/%2e%2e/%2e%2e/etc/passwd",
        "http://evil.example/static/css/portal.css",
        "https://evil.example/x.png",
        "ftp://portal.local/static/css/portal.css",
        "http://portal.local/media/x.png",
        "http://portal.local/static/",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_static_files(url):
    assert static_file_for(url) is None
    with pytest.raises(ValueError, match="Refused"):
        _static_url_fetcher().fetch(url)


def test_the_pdf_fetcher_serves_the_portal_static_files():
    assert static_file_for("http://portal.local/static/css/portal.css").endswith("portal.css")
    site = settings.SITE_URL
    assert static_file_for(f"{site}/static/img/favicon.svg").endswith("favicon.svg")


def _pdf_text(html: str) -> str:
    pdf = _html_to_pdf(html)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_pdf_never_reads_a_local_file(tmp_path, settings):
    secret = tmp_path / "secret.css"
    secret.write_text('body::after { content: "FUITE-DE-FICHIER"; }')
    allowed = tmp_path / "static"
    allowed.mkdir()
    (allowed / "ok.css").write_text('body::after { content: "STYLE-DU-PORTAIL"; }')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, allowed]
    html = (
        f'<html><head><link rel="stylesheet" href="file://{secret}">'
        f'<link rel="stylesheet" href="/static/ok.css"></head><body>Texte</body></html>'
    )
    text = _pdf_text(html)
    assert "FUITE-DE-FICHIER" not in text
    assert "STYLE-DU-PORTAIL" in text


@pytest.mark.django_db(transaction=True)
def test_the_server_header_names_no_python_version(live_server):
    with urllib.request.urlopen(f"{live_server.url}/compte/connexion/") as response:  # noqa: S310
        server = response.headers.get_all("Server")
    assert server == [settings.SERVER_HEADER]
    assert not any("Python" in value or "WSGIServer" in value for value in server)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/login/"])
def test_admin_pages_have_the_content_security_policy(client, path):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(path)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
