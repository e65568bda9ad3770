"""Every page a role may see is reachable by clicking from the home page (issue: pages nobody
could reach). The list of pages comes from the URLconf, so a new page is covered at once."""

import contextlib

import pytest
from django.apps import apps

from .conftest import ROLES, client_for
from .crawl import Route, is_download, route_of, routes, url_without_arguments

MAX_PUBLIC_DEPTH = 2  # every public page within two clicks of the home page
# Pages one comes to by sending a form, not by a link, and pages a signed-in person has no use
# for (they sign out first). Keep this list short: a page missing a link belongs in the menus.
AFTER_A_FORM = {"accounts:password_reset_done", "accounts:password_reset_complete"}
SIGNED_OUT_ONLY = {"accounts:password_reset", "accounts:resend_confirmation"}
# Staff may open an applicant's own page of a file, but work on it from /gestion/dossiers/.
OTHER_ROLES_PAGES = {"staff": {"projects:application_detail"}}


def not_required(role: str) -> set[str]:
    skipped = AFTER_A_FORM | OTHER_ROLES_PAGES.get(role, set())
    return skipped | (SIGNED_OUT_ONLY if role != "anonymous" else set())


def is_page(response) -> bool:
    """A whole HTML page (not a download, not an htmx fragment)."""
    response.close()  # a download streams an open file
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return False
    return b"<html" in response.content[:500]


def candidate_urls(crawls) -> dict[str, list[str]]:
    """Concrete URLs of the routes that take arguments: links seen by any role, and the
    ``get_absolute_url`` of the objects in the database."""
    urls = set()
    for role in ROLES:
        urls |= crawls(role).links
    for model in apps.get_models():
        if hasattr(model, "get_absolute_url"):
            for obj in model._default_manager.all()[:20]:
                with contextlib.suppress(Exception):  # an object without a URL is not a page
                    urls.add(obj.get_absolute_url())
    by_route: dict[str, list[str]] = {}
    for url in sorted(urls):
        path = url.split("?")[0]
        route = route_of(path)
        if route and not is_download(path) and "?" not in url:
            by_route.setdefault(route, []).append(url)
    return by_route


def visible_pages(role, crawls) -> dict[str, str]:
    """The routes whose page ``role`` may open (200, HTML), with one URL of each."""
    client = client_for(role)
    candidates = candidate_urls(crawls)
    visible = {}
    for route in routes():
        if route.name in not_required(role):
            continue
        urls = _urls_of(route, candidates)
        for url in urls[:3]:
            if is_page(client.get(url)):
                visible[route.name] = url
                break
    return visible


def _urls_of(route: Route, candidates) -> list[str]:
    if route.has_arguments:
        return candidates.get(route.name, [])
    url = url_without_arguments(route)
    return [url] if url and not is_download(url) else []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_see_is_reachable_by_links(role, site):
    reached = site(role).depth_of_route
    unreachable = {
        name: url for name, url in visible_pages(role, site).items() if name not in reached
    }
    if unreachable:
        lines = [f"  {name}: {url}" for name, url in sorted(unreachable.items())]
        pytest.fail(f"{role} may open these pages but no link leads there:\n" + "\n".join(lines))


def test_public_pages_are_two_clicks_from_home(site):
    depths = site("anonymous").depth_of_route
    far = {name: depth for name, depth in depths.items() if depth > MAX_PUBLIC_DEPTH}
    deep_lists = {
        name: depth
        for name, depth in far.items()
        if not any(route.name == name and route.has_arguments for route in routes())
    }
    assert deep_lists == {}, "public pages more than two clicks away from the home page"


@pytest.mark.parametrize("role", ROLES)
def test_no_link_is_broken(role, site):
    broken = [f"  {url} ({status}) linked from {page}" for page, url, status in site(role).broken]
    assert not broken, f"{role} follows broken links:\n" + "\n".join(broken)
