"""Every URL of the governance app, for every role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.factories.governance import LineFactory, MeetingFactory
from governance import services
from governance.models import AgendaDocument, Presence

from .conftest import record

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]
PUBLIC = dict.fromkeys(ROLES, 200)
COMMITTEE = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 200,
    "staff": 200,
}
STAFF = {"anonymous": 302, "applicant": 403, "other_applicant": 403, "committee": 403, "staff": 200}


@pytest.fixture
def objects(held_meeting, staff):
    meeting, item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    meeting.minutes_file.save("pv.pdf", SimpleUploadedFile("pv.pdf", b"%PDF-1.4 pv"), save=True)
    document = AgendaDocument.objects.create(
        item=item, title="Note", file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 note")
    )
    line = LineFactory()
    token = services.calendar_token_for(user=seats[0].person)
    return {
        "planned": MeetingFactory(date=meeting.date).pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "document": document.pk,
        "mandate": seats[1].pk,
        "programme": line.programme_id,
        "token": token.token,
    }


GET_URLS = [
    ("composition", [], PUBLIC),
    ("composition_history", [], PUBLIC),
    ("committee_home", [], COMMITTEE),
    ("meeting_detail", ["meeting"], COMMITTEE),
    ("minutes_download", ["meeting"], COMMITTEE),
    ("document_download", ["document"], COMMITTEE),
    ("programme_review", ["programme"], COMMITTEE),
    ("calendar_feed", [], COMMITTEE),
    ("calendar", [], COMMITTEE),
    ("cycle", [], COMMITTEE),
    ("register", [], COMMITTEE),
    ("register_csv", [], COMMITTEE),
    ("register_pdf", [], COMMITTEE),
    ("meeting_list", [], STAFF),
    ("meeting_create", [], STAFF),
    ("meeting_manage", ["meeting"], STAFF),
    ("meeting_update", ["planned"], STAFF),
    ("item_create", ["planned"], STAFF),
    ("item_update", ["item"], STAFF),
    ("attendance", ["meeting"], STAFF),
    ("minutes_edit", ["meeting"], STAFF),
    ("opinion_create", ["item"], STAFF),
    ("mandate_list", [], STAFF),
    ("mandate_create", [], STAFF),
    ("mandate_export", [], STAFF),
    ("attendance_sheet", ["meeting"], STAFF),
    ("mandate_update", ["mandate"], STAFF),
]

POST_URLS = [
    ("meeting_reply", ["meeting"], COMMITTEE),
    ("conflict_declare", ["item"], COMMITTEE),
    ("meeting_convene", ["meeting"], STAFF),
    ("meeting_remind", ["meeting"], STAFF),
    ("item_delete", ["item"], STAFF),
    ("document_upload", ["item"], STAFF),
    ("document_delete", ["document"], STAFF),
    ("minutes_approve", ["meeting"], STAFF),
]


@pytest.mark.parametrize(("name", "args", "expected"), GET_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_get_per_role(role_clients, objects, role, name, args, expected):
    url = reverse(f"governance:{name}", args=[objects[arg] for arg in args])
    response = role_clients[role].get(url)
    assert response.status_code == expected[role], (role, url)
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
        response.close()


@pytest.mark.parametrize(("name", "args", "expected"), POST_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_post_per_role(role_clients, objects, role, name, args, expected):
    url = reverse(f"governance:{name}", args=[objects[arg] for arg in args])
    response = role_clients[role].post(url, {})
    wanted = expected[role]
    if wanted == 200:
        wanted = 302  # these actions redirect back to the meeting
    assert response.status_code == wanted, (role, url)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_token_feed_works_without_a_session_and_only_with_a_valid_token(client, objects):
    url = reverse("governance:calendar_token_feed", args=[objects["token"]])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert client.get(reverse("governance:calendar_token_feed", args=["faux"])).status_code == 404


def test_token_of_a_person_without_role_no_longer_works(client, applicant):
    token = services.calendar_token_for(user=applicant)
    url = reverse("governance:calendar_token_feed", args=[token.token])
    assert client.get(url).status_code == 404


def test_unknown_objects_are_404_for_staff(staff_client, objects):
    for name in ["meeting_detail", "meeting_manage", "item_update", "mandate_update"]:
        assert staff_client.get(reverse(f"governance:{name}", args=[999999])).status_code == 404


def test_navigation_and_staff_card(staff_client, committee_client, applicant_client):
    assert 'href="/comite/"' in committee_client.get(reverse("home")).content.decode()
    assert 'href="/comite/"' not in applicant_client.get(reverse("home")).content.decode()
    desk = staff_client.get(reverse("staff_home")).content.decode()
    assert reverse("governance:meeting_list") in desk
    assert reverse("governance:mandate_list") in desk


@pytest.mark.parametrize("role", ROLES)
def test_token_feed_per_role(role_clients, objects, role):
    """The secret address is the credential: any client holding it gets the feed."""
    url = reverse("governance:calendar_token_feed", args=[objects["token"]])
    assert role_clients[role].get(url).status_code == 200
    wrong = reverse("governance:calendar_token_feed", args=["inconnu"])
    assert role_clients[role].get(wrong).status_code == 404
