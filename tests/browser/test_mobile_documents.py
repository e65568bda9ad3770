"""Issue 14: at 375 px the documents of the applicant's file form must fit the screen."""

import pytest
from django.urls import reverse

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documents_of_a_draft_fit_a_375_px_screen(page):
    from demo.factories.calls import ApplicationFactory, CallFactory, add_attachment
    from demo.factories.core import PASSWORD, make_applicant
    from ess_metro.directory.models import Membership

    page.set_default_timeout(90_000)
    applicant = make_applicant()
    organisation = Membership.objects.get(user=applicant).organisation
    draft = ApplicationFactory(
        call=CallFactory(), organisation=organisation, created_by=applicant, complete=True
    )
    document = draft.call.required_documents.first()
    add_attachment(draft, document, name="statuts-association-signes-2026-version-finale.pdf")
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, applicant.email, PASSWORD)
    page.goto(reverse("projects:application_edit", args=[draft.pk]))
    documents = page.get_by_role("region", name="Documents")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = documents.get_by_role("table").bounding_box()
    assert table["x"] + table["width"] <= 375
    buttons = documents.get_by_role("button", name="Retirer").all()
    names = [button.get_attribute("aria-label") or button.inner_text() for button in buttons]
    assert any("statuts-association-signes-2026" in name for name in names)
    for button in buttons:
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
