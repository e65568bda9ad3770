"""Every amendment URL, per role: anonymous, applicant, other applicant, committee, staff."""

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.conventions import services
from projects.conventions.models import AmendmentStatus, ConventionAmendment

from .amendments import amend

pytestmark = pytest.mark.django_db

STAFF_ONLY = {"anonymous": 302, "applicant": 403, "other_applicant": 403, "committee": 403}
BENEFICIARY = {"anonymous": 302, "applicant": 200, "other_applicant": 404, "committee": 404}


@pytest.fixture
def objects(convention, staff):
    signed = amend(convention, staff, {2024: 20000, 2025: 25000, 2026: 20000})
    services.amendment_sign(amendment=signed, user=staff, signature_date=timezone.localdate())
    draft = amend(convention, staff, {2024: 20000, 2025: 26000, 2026: 20000})
    return {"convention": convention, "signed": signed, "draft": draft}


GET_URLS = [
    ("projects:amendment_create", "convention", STAFF_ONLY, 200),
    ("projects:amendment_detail", "draft", STAFF_ONLY, 200),
    ("projects:amendment_detail", "signed", STAFF_ONLY, 200),
    ("projects:amendment_update", "draft", STAFF_ONLY, 200),
    ("projects:amendment_pdf", "draft", STAFF_ONLY, 200),
    ("projects:space_amendment_pdf", "signed", BENEFICIARY, 200),
    # A draft is not the beneficiary's yet.
    (
        "projects:space_amendment_pdf",
        "draft",
        {"anonymous": 302, "applicant": 404, "other_applicant": 404, "committee": 404},
        200,
    ),
]


@pytest.mark.parametrize(("name", "key", "expected", "staff_status"), GET_URLS)
def test_get_per_role(role_clients, objects, name, key, expected, staff_status):
    url = reverse(name, args=[objects[key].pk])
    for role, status in {**expected, "staff": staff_status}.items():
        response = role_clients[role].get(url)
        assert response.status_code == status, (role, url, response.status_code)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["projects:amendment_sign", "projects:amendment_delete"])
def test_post_only_per_role(role_clients, objects, name):
    url = reverse(name, args=[objects["draft"].pk])
    for role, status in STAFF_ONLY.items():
        assert role_clients[role].post(url, {}).status_code == status, role
        assert ConventionAmendment.objects.filter(pk=objects["draft"].pk).exists()
    assert role_clients["staff"].get(url).status_code == 405
    response = role_clients["staff"].post(url, {})
    assert response.status_code in {302, 422}
    draft = ConventionAmendment.objects.filter(pk=objects["draft"].pk).first()
    if name == "projects:amendment_sign":
        # No date: the form is shown again with its error (422), nothing is signed.
        assert response.status_code == 422
        assert "Ce champ est obligatoire." in response.content.decode()
        assert draft.status == AmendmentStatus.DRAFT
    else:
        assert draft is None


def test_create_post_per_role(role_clients, objects):
    url = reverse("projects:amendment_create", args=[objects["convention"].pk])
    for role, status in STAFF_ONLY.items():
        assert role_clients[role].post(url, {}).status_code == status, role
    assert ConventionAmendment.objects.count() == 2
