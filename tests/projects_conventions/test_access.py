"""Every URL of conventions, per role: anonymous, applicant, other applicant, committee, staff."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from demo.factories.conventions import StructuringProjectFactory
from projects.conventions.models import ReportAttachment

pytestmark = pytest.mark.django_db

STAFF_ONLY = {"anonymous": 302, "applicant": 403, "other_applicant": 403, "committee": 403}
BENEFICIARY = {"anonymous": 302, "applicant": 200, "other_applicant": 404, "committee": 404}


@pytest.fixture
def objects(convention, staff):
    project = StructuringProjectFactory()
    report = convention.reports.get(year=2024)
    attachment = ReportAttachment(
        report=report, original_name="bilan.pdf", content_type="application/pdf", size=10
    )
    attachment.file.save("bilan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {
        "convention": convention,
        "project": project,
        "payment": convention.payments.first(),
        "report": report,
        "attachment": attachment,
    }


GET_URLS = [
    (
        "projects:public_structuring_projects",
        None,
        {"anonymous": 200, "applicant": 200, "other_applicant": 200, "committee": 200},
        200,
    ),
    ("projects:structuring_project_list", None, STAFF_ONLY, 200),
    ("projects:structuring_project_create", None, STAFF_ONLY, 200),
    ("projects:structuring_project_detail", "project", STAFF_ONLY, 200),
    ("projects:structuring_project_update", "project", STAFF_ONLY, 200),
    ("projects:convention_dashboard", None, STAFF_ONLY, 200),
    ("projects:convention_create", None, STAFF_ONLY, 200),
    ("projects:de_minimis_check", None, STAFF_ONLY, 200),
    ("projects:convention_detail", "convention", STAFF_ONLY, 200),
    ("projects:convention_update", "convention", STAFF_ONLY, 200),
    ("projects:convention_bank_details", "convention", STAFF_ONLY, 200),
    ("projects:convention_pdf", "convention", STAFF_ONLY, 200),
    ("projects:payment_create", "convention", STAFF_ONLY, 200),
    ("projects:report_review", "report", STAFF_ONLY, 200),
    ("projects:payment_list", None, STAFF_ONLY, 200),
    ("projects:payment_update", "payment", STAFF_ONLY, 200),
    ("projects:payment_transition", "payment", STAFF_ONLY, 200),
    (
        "projects:space_convention_list",
        None,
        {"anonymous": 302, "applicant": 200, "other_applicant": 200, "committee": 200},
        200,
    ),
    ("projects:space_convention_detail", "convention", BENEFICIARY, 200),
    ("projects:space_convention_bank_details", "convention", BENEFICIARY, 200),
    ("projects:space_convention_pdf", "convention", BENEFICIARY, 200),
    ("projects:space_report_submit", "report", BENEFICIARY, 200),
    ("projects:report_attachment", "attachment", BENEFICIARY, 200),
]

POST_ONLY_URLS = [
    ("projects:convention_transition", "convention"),
    ("projects:convention_schedule", "convention"),
    ("projects:payment_delete", "payment"),
]


@pytest.mark.parametrize(("name", "key", "expected", "staff_status"), GET_URLS)
def test_get_per_role(role_clients, objects, name, key, expected, staff_status):
    url = reverse(name, args=[objects[key].pk] if key else [])
    for role, status in {**expected, "staff": staff_status}.items():
        response = role_clients[role].get(url)
        response.close()  # a file download holds its file open
        assert response.status_code == status, (role, url, response.status_code)
        if role == "anonymous" and status == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "key"), POST_ONLY_URLS)
def test_post_only_per_role(role_clients, objects, name, key):
    url = reverse(name, args=[objects[key].pk])
    for role, status in {**STAFF_ONLY, "staff": 302}.items():
        response = role_clients[role].post(url, {})
        assert response.status_code == status, (role, url)
    assert role_clients["staff"].get(url).status_code == 405
