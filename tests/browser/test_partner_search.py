"""The partner organisations of a file can be searched by name with the keyboard."""

import pytest
from django.urls import reverse

from demo.factories.calls import ApplicationFactory
from demo.factories.core import PASSWORD, OrganisationFactory, UserFactory, make_applicant

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_name_filters_the_partner_list_and_keeps_the_chosen_ones(page):
    user = UserFactory(email="partenaires@exemple.fr")
    make_applicant(user=user)
    organisation = user.organisations.get()
    application = ApplicationFactory(organisation=organisation, created_by=user)
    OrganisationFactory(name="Maison des Jeux")
    chosen = OrganisationFactory(name="Atelier Vélo")
    application.partner_organisations.add(chosen)
    page.goto("/compte/connexion/")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/")
    page.goto(reverse("projects:application_edit", args=[application.pk]))
    page.wait_for_load_state()
    search = page.get_by_label("Rechercher une structure par son nom")
    search.focus()
    page.keyboard.type("maison")
    visible = page.evaluate(
        "() => Array.from(document.querySelectorAll('#id_partner_organisations option'))"
        ".filter(o => !o.hidden).map(o => o.text)"
    )
    assert visible == ["Atelier Vélo", "Maison des Jeux"]  # the chosen one stays visible
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_partner_organisations"
    assert page.console_errors == []
