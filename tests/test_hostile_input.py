"""Hostile input never gives a server error (issue: crafted input gives HTTP 500).

Every URL pattern a role can reach is found by following links from that role's home pages.
Each one is then requested with hostile values in every query parameter the portal reads and
in its path's numbers, and every form it shows is posted with hostile values in every field.
Nothing may answer 500: bad input is a 400, a 404 or a French message next to the field.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import given, settings
from hypothesis import strategies as st

from ess_metro.accounts.models import User
from ess_metro.money import parse_money
from ess_metro.params import parse_id, parse_year

# What the probe sent: non-ASCII digits, huge integers, NaN, NUL bytes, letters where an id
# is expected, and the usual injection strings.
HOSTILE = [
    "²",
    "٣",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "NaN",
    "Infinity",
    "1e999",
    "abc\x00def",
    "\x00",
    "x",
    "-1",
    "0",
    "",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    "%",
    "\ud7ff\ufffe",
    "a" * 5000,
]
# Every query parameter that a view reads (grep GET.get in the apps) and django-filter's.
QUERY_PARAMETERS = [
    "q", "page", "statut", "etat", "theme", "forme", "annee", "jeu", "mesure", "version",
    "projet", "export", "next", "sieg", "amount_granted", "beneficiary", "appel", "commune",
    "orientation", "tri", "ordre", "format", "categorie", "college", "mois", "type",
]  # fmt: skip
START = ["/", "/plan/", "/appels/", "/agenda/", "/donnees/", "/espace/", "/gestion/", "/comite/"]
SKIP = re.compile(r"/(deconnexion|logout)|\.(pdf|xlsx|csv|ics|zip)$|/(telecharger|fichier)")
ROLES = {
    "anonymous": None,
    "applicant": "porteur@essmetro.example",
    "committee": "comite@essmetro.example",
    "staff": "chargee@essmetro.example",
}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": {},
                "hidden": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select"}:
            name = attributes.get("name")
            kind = (attributes.get("type") or "text").lower()
            if not name or kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind == "hidden" or name == "csrfmiddlewaretoken":
                self._form["hidden"][name] = attributes.get("value") or ""
            else:
                self._form["fields"][name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _discover(client: Client) -> dict[str, tuple[str, _Page]]:
    """One reachable URL per route, with its parsed page."""
    seen: dict[str, tuple[str, _Page]] = {}
    queue = list(START)
    visited: set[str] = set()
    while queue and len(visited) < 600:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        route = _route(urlsplit(path).path)
        if route is None or route in seen:
            continue
        response = client.get(path)
        response.close()  # a download is a file left open otherwise
        assert response.status_code != 500, path
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        seen[route] = (path, page)
        for href in page.links:
            target = urljoin(path, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path) and local not in visited:
                queue.append(local)
    return seen


def _client(role: str) -> Client:
    call_command("seed_demo", stdout=StringIO())
    client = Client(raise_request_exception=False)
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))
    return client


def _with_query(path: str, value: str, names: list[str]) -> str:
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    query.update(dict.fromkeys(names, value))
    return f"{parts.path}?{urlencode(query)}"


def _numbers_replaced(path: str, value: str) -> list[str]:
    segments = path.split("?")[0].split("/")
    return [
        "/".join([*segments[:i], value, *segments[i + 1 :]])
        for i, segment in enumerate(segments)
        if segment.isdigit()
    ]


def _form_posts(path: str, page: _Page, value: str) -> list[tuple[str, dict]]:
    posts = []
    for form in page.forms:
        if form["method"] != "post" or not form["fields"] or SKIP.search(form["action"]):
            continue
        data = dict(form["hidden"])
        data.update(dict.fromkeys(form["fields"], value))
        posts.append((urljoin(path, form["action"]) or path, data))
    return posts


def _errors(client: Client, path: str, page: _Page, value: str) -> list[str]:
    names = QUERY_PARAMETERS + [
        name for form in page.forms if form["method"] == "get" for name in form["fields"]
    ]
    requests = [("get", _with_query(path, value, names), None)]
    if value.lstrip("-").isdigit():
        requests += [("get", numbered, None) for numbered in _numbers_replaced(path, value)]
    requests += [("post", url, data) for url, data in _form_posts(path, page, value)]
    errors = []
    for method, url, data in requests:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        response.close()
        if response.status_code >= 500:
            errors.append(f"{method.upper()} {url[:120]} {value[:20]!r} → {response.status_code}")
    return errors


# Sent to every page of every role; the generated values below cover the rest of HOSTILE.
EVERY_PAGE = ["²", "99999999999999999999999999", "NaN", "a\x00b", "x", "-1"]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
    st.from_regex(r"[0-9\u00b2\u00b3\u0660-\u0669\uff10-\uff19]{1,30}", fullmatch=True),
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_value_gives_a_server_error(role):
    client = _client(role)
    pages = list(_discover(client).values())
    assert len(pages) > 8
    errors = [
        error
        for path, page in pages
        for value in EVERY_PAGE
        for error in _errors(client, path, page, value)
    ]
    assert not errors, "\n".join(errors)

    @settings(max_examples=30, deadline=None, database=None)
    @given(value=VALUES, index=st.integers(0, len(pages) - 1))
    def probe(value, index):
        path, page = pages[index]
        assert _errors(client, path, page, value) == []

    probe()


# --- The kernel's defences, one by one ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("²", None), ("٣", None), ("99999999999999999999", None), ("0", None),
     ("-1", None), ("1e3", None), (" 12", None), ("", None), (None, None)],
)  # fmt: skip
def test_parse_id_accepts_only_ascii_ids_a_database_can_hold(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026", 2026), ("²⁰²⁶", None), ("99999999999999999999", None), ("0999", None), ("x", None)],
)
def test_parse_year_accepts_only_four_ascii_digits_within_bounds(value, expected):
    assert parse_year(value) == expected


@pytest.mark.parametrize("value", ["NaN", "-NaN", "sNaN", "Infinity", "-inf", "1e999"])
def test_parse_money_refuses_what_is_not_an_amount(value):
    assert parse_money(value) is None


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/donnees/?jeu=%00", "/appels/?q=a%00b", "/plan/%00/"])
def test_a_nul_in_the_address_is_a_french_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.django_db
def test_a_number_beyond_any_id_in_the_path_is_404(staff_client):
    response = staff_client.get("/gestion/dossiers/99999999999999999999999/")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/donnees/?jeu=²", "/donnees/?jeu=99999999999999999999", "/programmation/?version=²",
     "/comite/registre/?annee=²", "/comite/registre/?annee=99999999999999999999999999"],
)  # fmt: skip
def test_the_probes_crafted_parameters_are_answered_without_error(path):
    client = _client("committee")
    assert client.get(path).status_code in {200, 302, 404}


@pytest.mark.django_db
def test_in_lookup_ignores_numbers_no_column_holds():
    user = User.objects.create_user(email="x@exemple.fr", password=None)
    found = User.objects.filter(pk__in=[user.pk, 2**70, -(2**70)])
    assert list(found) == [user]
    assert list(User.objects.filter(pk__in=[2**70])) == []
