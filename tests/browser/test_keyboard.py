"""The portal works with the keyboard alone, with a visible focus, under the strict CSP."""

import pytest

from demo.factories.core import PASSWORD, UserFactory, make_applicant

pytestmark = pytest.mark.django_db(transaction=True)


def _focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, text: e.innerText || '', id: e.id, name: e.name || '',"
        " outline: getComputedStyle(e).outlineWidth}; }"
    )


def test_skip_link_is_the_first_stop_and_moves_focus_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["text"].strip() == "Aller au contenu"
    assert focused["outline"] == "3px"  # visible focus ring
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    assert _focused(page)["id"] == "contenu"
    assert page.console_errors == []  # no CSP violation, no script error


def test_log_in_with_the_keyboard_alone(page):
    user = make_applicant(user=UserFactory(email="clavier@exemple.fr"))
    page.goto("/compte/connexion/")
    # The e-mail field has the focus on arrival (autofocus); type, tab, type, enter.
    assert _focused(page)["name"] == "username"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/")
    assert page.locator("h1").inner_text() == "Mon compte"


def test_focus_goes_to_the_first_field_in_error(page):
    page.goto("/compte/inscription/")
    page.locator("main button[type=submit]").press("Enter")
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible()
    assert _focused(page)["tag"] in {"INPUT", "SELECT", "TEXTAREA"}
