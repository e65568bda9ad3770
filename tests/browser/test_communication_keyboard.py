"""The agenda and the data page with the keyboard alone, under the strict CSP."""

import pytest

from communication.models import Dataset
from demo.factories.communication import DatasetFactory, EventFactory, add_rows
from ess_metro.directory.models import Commune

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, name: e.name || '', text: e.innerText || '',"
        " outline: getComputedStyle(e).outlineWidth}; }"
    )


def _tab_to(page, predicate, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if predicate(focused):
            return focused
    raise AssertionError("never reached with Tab")


def test_agenda_filters_update_the_list_with_the_keyboard(page):
    fontaine = Commune.objects.get(name="Fontaine")
    EventFactory(title="Visite à Fontaine", commune=fontaine, kind="visit")
    EventFactory(title="Forum à Grenoble", kind="forum")
    page.goto("/agenda/")
    assert page.locator("#event-list").inner_text().count("Visite à Fontaine") == 1
    focused = _tab_to(page, lambda f: f["name"] == "kind")
    assert focused["outline"] == "3px"
    page.select_option("select[name=kind]", "forum")  # what the arrow keys choose
    page.wait_for_url("**/agenda/?*kind=forum*")
    page.wait_for_function(
        "() => !document.querySelector('#event-list').innerText.includes('Visite à Fontaine')"
    )
    assert "Forum à Grenoble" in page.locator("#event-list").inner_text()
    assert page.console_errors == []  # htmx runs under the strict CSP


def test_data_page_can_be_read_and_switched_with_the_keyboard(page):
    dataset = DatasetFactory(title="ESS par commune")
    add_rows(dataset, 30)
    page.goto("/donnees/")
    assert page.locator("svg.ess-chart").count() == 3
    _tab_to(page, lambda f: f["name"] == "mesure")
    page.select_option("select[name=mesure]", "etablissements")
    page.keyboard.press("Tab")  # the Show button
    assert _focused(page)["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_url("**/donnees/?*mesure=etablissements*")
    assert "Les établissements de l'ESS par année" in page.locator("h2").all_inner_texts()
    # Each data table can be scrolled from the keyboard: its region takes the focus.
    region = _tab_to(page, lambda f: f["tag"] == "DIV")
    assert region["outline"] == "3px"
    assert page.console_errors == []
    assert Dataset.objects.count() == 1
