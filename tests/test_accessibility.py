"""Cross-cutting checks of every page without URL parameters, for every role.

Each HTML page must have exactly one h1, headings that never skip a level, a label for every
form field, an alt text on every image, a lang attribute, the skip link, and no inline script.
No page may answer 500 to anyone.
"""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_PREFIXES = ("admin/", "langue/", "compte/deconnexion/")


def _plain_urls(patterns=None, prefix=""):
    """Every URL of the portal whose pattern takes no parameter."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _plain_urls(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            url = "/" + prefix + route
            if not url.lstrip("/").startswith(SKIPPED_PREFIXES):
                yield url


class PageChecker(HTMLParser):
    FIELDS = {"input", "select", "textarea"}
    UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.field_ids: list[str] = []
        self.unlabelled: list[str] = []
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.images_without_alt = 0
        self.inline_scripts = 0
        self.html_lang = None
        self.skip_link = False
        self._script_src = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in self.FIELDS and attrs.get("type", "text") not in self.UNLABELLED_TYPES:
            if self.label_depth or attrs.get("aria-label") or attrs.get("aria-labelledby"):
                pass
            elif attrs.get("id"):
                self.field_ids.append(attrs["id"])
            else:
                self.unlabelled.append(attrs.get("name", tag))
        if tag == "img" and "alt" not in attrs:
            self.images_without_alt += 1
        if tag == "script":
            self._script_src = attrs.get("src")
        if tag == "a" and attrs.get("href") == "#contenu":
            self.skip_link = True

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)

    def handle_data(self, data):
        if self.lasttag == "script" and self._script_src is None and data.strip():
            self.inline_scripts += 1
            self._script_src = ""

    def problems(self) -> list[str]:
        found = []
        if self.headings.count(1) != 1:
            found.append(f"{self.headings.count(1)} h1 instead of 1")
        for previous, current in zip(self.headings, self.headings[1:], strict=False):
            if current > previous + 1:
                found.append(f"heading jumps from h{previous} to h{current}")
                break
        missing = [field for field in self.field_ids if field not in self.label_for]
        if missing or self.unlabelled:
            found.append(f"fields without label: {missing + self.unlabelled}")
        if self.images_without_alt:
            found.append(f"{self.images_without_alt} images without alt")
        if self.inline_scripts:
            found.append("inline script")
        if not self.html_lang:
            found.append("no lang on <html>")
        if not self.skip_link:
            found.append("no skip link")
        return found


def check_page(content: str) -> list[str]:
    checker = PageChecker()
    checker.feed(content)
    return checker.problems()


@pytest.mark.parametrize("role", ["anonymous", "applicant", "committee", "staff"])
def test_every_page_is_accessible_and_never_fails(role_clients, role):
    client = role_clients[role]
    failures = {}
    checked = 0
    for url in sorted(set(_plain_urls())):
        response = client.get(url)
        assert response.status_code < 500, f"{url} answers {response.status_code} to {role}"
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            content = response.content.decode()
            if "<html" not in content:
                continue  # an htmx fragment
            checked += 1
            problems = check_page(content)
            if problems:
                failures[url] = problems
    assert checked > 0
    assert failures == {}, failures


def test_checker_catches_problems():
    page = (
        '<html><body><h1>A</h1><h3>B</h3><input id="x" name="x">'
        "<img src=a.png><script>alert(1)</script></body></html>"
    )
    problems = check_page(page)
    assert "heading jumps from h1 to h3" in problems
    assert "fields without label: ['x']" in problems
    assert "1 images without alt" in problems
    assert "inline script" in problems
    assert "no lang on <html>" in problems
    assert "no skip link" in problems
