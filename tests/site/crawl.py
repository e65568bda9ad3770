"""Walk the portal the way a person does: from the home page, by following links only.

The URLconf says which pages exist; the crawl says which ones a role reaches by clicking. The
tests of this folder compare the two, and check every page reached (HTML validity, axe-core).
"""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

# Files the crawl records as reached without downloading them (a PDF takes seconds to render).
DOWNLOAD_SUFFIXES = (".pdf", ".ics", ".csv", ".xlsx", ".rss", ".atom", ".json", ".zip")
DOWNLOAD_SEGMENTS = {"pdf", "ics", "xlsx", "csv", "document"}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
PAGES_PER_ROUTE = 3  # a route is checked on a few of its objects, not on every one


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.actions = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form" and attributes.get("action"):
            self.actions.append(attributes["action"])


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def form_actions_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.actions


def route_of(path: str) -> str | None:
    """The URL name (``namespace:name``) of a local path, None if nothing answers it."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def is_download(path: str) -> bool:
    segments = [part for part in path.split("/") if part]
    return path.endswith(DOWNLOAD_SUFFIXES) or bool(segments and segments[-1] in DOWNLOAD_SEGMENTS)


def local_target(page_url: str, href: str) -> str | None:
    """The local URL (path and query) a link leads to, None for another site or a mailto."""
    url, _fragment = urldefrag(urljoin(f"http://testserver{page_url}", href))
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Page:
    url: str
    route: str
    depth: int
    status: int
    html: str = ""


@dataclass
class Crawl:
    """What one role reached: pages fetched, links seen (to routes), broken links."""

    pages: dict[str, Page] = field(default_factory=dict)
    depth_of_route: dict[str, int] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    broken: list[tuple[str, str, int]] = field(default_factory=list)

    def html_pages(self) -> list[Page]:
        return [page for page in self.pages.values() if page.html]


def crawl(client, start: str = "/") -> Crawl:
    """Breadth-first from ``start``: every link followed, a few pages per route."""
    result = Crawl()
    queue = deque([(start, 0, start)])
    fetched_per_route: dict[str, int] = {}
    queued = {start}
    while queue:
        url, depth, referrer = queue.popleft()
        path = urlsplit(url).path
        route = route_of(path)
        if route is None:
            result.broken.append((referrer, url, 404))
            continue
        result.depth_of_route.setdefault(route, depth)
        if is_download(path) or fetched_per_route.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        fetched_per_route[route] = fetched_per_route.get(route, 0) + 1
        page = _fetch(client, url, route, depth)
        if page.status >= 400:
            result.broken.append((referrer, url, page.status))
        result.pages[url] = page
        _follow(result, queue, queued, page)
    return result


def _follow(result: Crawl, queue: deque, queued: set, page: Page) -> None:
    """Queue the page's links; a form's action counts as reached (sending it is not clicking)."""
    for href in links_of(page.html):
        target = local_target(page.url, href)
        if target and target not in queued:
            queued.add(target)
            result.links.add(target)
            queue.append((target, page.depth + 1, page.url))
    for action in form_actions_of(page.html):
        target = local_target(page.url, action)
        route = route_of(urlsplit(target).path) if target else None
        if route:
            result.depth_of_route.setdefault(route, page.depth + 1)


def _fetch(client, url: str, route: str, depth: int) -> Page:
    response = client.get(url)
    html = ""
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
    response.close()  # a download streams an open file
    return Page(url=url, route=route, depth=depth, status=response.status_code, html=html)


# --- The URLconf ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    has_arguments: bool


def routes() -> list[Route]:
    """Every named route of the URLconf but the admin's."""
    found = []

    def walk(patterns, namespace, has_arguments):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                walk(pattern.url_patterns, inner, has_arguments or _has_arguments(pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(Route(name, has_arguments or _has_arguments(pattern)))

    walk(get_resolver().url_patterns, None, False)
    return list(dict.fromkeys(found))


def _has_arguments(pattern) -> bool:
    return bool(pattern.pattern.regex.groupindex) or pattern.pattern.regex.groups > 0


def url_without_arguments(route: Route) -> str | None:
    try:
        return reverse(route.name)
    except NoReverseMatch:
        return None
