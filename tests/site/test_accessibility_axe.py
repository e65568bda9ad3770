"""axe-core finds no violation on any page a role reaches by clicking from the home page, and
every main page is photographed at 1280 px and 375 px (in ``screenshots/``, ignored by git)."""

from pathlib import Path

import pytest
from django.conf import settings

from .conftest import ROLES

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
WIDTHS = (1280, 375)
# The outermost elements that stick out of the page on the right (scrolled boxes excepted).
TOO_WIDE = """[...document.querySelectorAll('body *')].filter((e) =>
  e.getBoundingClientRect().right > window.innerWidth + 1
  && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)
  && !e.closest('.table-responsive, .overflow-auto'))
  .slice(0, 3).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""
# The top of each header link and the height of its text: one line means one value each.
HEADER_LINES = """[...document.querySelectorAll('.portal-header .nav-link')]
  .map((link) => Math.round(link.getBoundingClientRect().bottom))"""


def one_page_per_route(crawl):
    pages = {}
    for page in crawl.html_pages():
        pages.setdefault(page.route, page)
    return sorted(pages.values(), key=lambda page: page.url)


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_violation(role, site, browser_as):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser_as(role)
    failures = []
    for reached in one_page_per_route(site(role)):
        page.goto(reached.url)
        results = axe.run(page)
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{reached.url}: {violation['id']} ({violation['help']}) {targets}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_screenshots_of_the_main_pages(role, site, browser_as):
    """The pages within two clicks of the home page, at both widths; nothing sticks out on the
    right but the inside of a box that scrolls on its own (a wide table)."""
    main = [page for page in one_page_per_route(site(role)) if page.depth <= 2]
    folder = SCREENSHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for width in WIDTHS:
        page = browser_as(role, width=width)
        for reached in main:
            # A full-page screenshot leaves the page laid out at its own size: start afresh.
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(reached.url)
            culprits = page.evaluate(TOO_WIDE)
            if culprits:
                too_wide.append(f"{reached.url} at {width} px: {culprits} stick out on the right")
            if width == 1280 and len(set(page.evaluate(HEADER_LINES))) > 1:
                too_wide.append(f"{reached.url}: the header wraps at 1280 px")
            name = reached.route.replace(":", "-")
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
    assert too_wide == [], "\n".join(too_wide)
