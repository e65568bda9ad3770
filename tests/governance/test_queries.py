"""The SQL of every list page is pinned and does not grow with rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories.core import MandateFactory, UserFactory
from demo.factories.governance import (
    AgendaItemFactory,
    LineFactory,
    MeetingFactory,
    ProgrammeFactory,
    seat,
)
from governance import services
from governance.models import AgendaDocument, ConflictOfInterest, ConflictSource, LineComment

from .test_opinions import _register_fixture

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_mandates(n):
    for _ in range(n):
        holder = seat()
        MandateFactory(
            college=holder.college,
            category=holder.category,
            kind="substitute",
            holder=holder,
        )


def _add_ended_mandates(n):
    for _ in range(n):
        seat(end_date=timezone.localdate() - datetime.timedelta(days=10))


def _add_meetings(n):
    for index in range(n):
        meeting = MeetingFactory(
            date=timezone.localdate() + datetime.timedelta(days=index + 1),
            status="convened",
            convened_at=timezone.now(),
        )
        item = AgendaItemFactory(meeting=meeting)
        AgendaDocument.objects.create(item=item, title=f"Note {index}", file="x.pdf")


def _add_past_meetings(n):
    for index in range(n):
        MeetingFactory(
            date=timezone.localdate() - datetime.timedelta(days=index + 1), status="held"
        )


def _add_lines(programme):
    def grow(n):
        author = UserFactory()
        for _ in range(n):
            line = LineFactory(programme=programme)
            LineComment.objects.create(line=line, author=author, text="Commentaire")

    return grow


@pytest.mark.parametrize(
    ("name", "grow", "client_name"),
    [
        ("composition", _add_mandates, "client"),
        ("composition_history", _add_ended_mandates, "client"),
        ("mandate_list", _add_mandates, "staff_client"),
        ("meeting_list", _add_meetings, "staff_client"),
        ("committee_home", _add_meetings, "committee_client"),
        ("committee_home", _add_past_meetings, "committee_client"),
        ("calendar_feed", _add_meetings, "committee_client"),
        ("cycle", _add_meetings, "committee_client"),
    ],
)
def test_list_pages_do_not_grow_with_rows(request, name, grow, client_name):
    client = request.getfixturevalue(client_name)
    url = reverse(f"governance:{name}")
    grow(1)
    first = _count(client, url)
    grow(24)
    assert _count(client, url) == first
    assert first == PINNED[f"{name}{grow.__name__}"], f"{name}: {first} queries"


# Session, user and the roles (one query) are 3 of these queries on every logged-in page.
PINNED = {
    "composition_add_mandates": 2,
    "composition_history_add_ended_mandates": 2,
    "mandate_list_add_mandates": 7,
    "meeting_list_add_meetings": 6,
    "committee_home_add_meetings": 10,
    "committee_home_add_past_meetings": 8,
    "calendar_feed_add_meetings": 5,
    "cycle_add_meetings": 4,
}


def test_programme_review_does_not_grow_with_lines(committee_client):
    programme = ProgrammeFactory()
    url = reverse("governance:programme_review", args=[programme.pk])
    grow = _add_lines(programme)
    grow(1)
    first = _count(committee_client, url)
    grow(24)
    assert _count(committee_client, url) == first == PINNED_DETAIL["programme_review"]


def test_meeting_pages_do_not_grow_with_items(staff_client, committee_client, staff):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    holders = [seat() for _ in range(3)]

    def grow(n):
        start = meeting.items.count()
        for index in range(start, start + n):
            item = AgendaItemFactory(
                meeting=meeting,
                start_time=datetime.time(8 + index // 4, (index % 4) * 15),
                end_time=datetime.time(8 + index // 4, (index % 4) * 15 + 10),
            )
            AgendaDocument.objects.create(item=item, title="Note", file="x.pdf")
            ConflictOfInterest.objects.create(
                item=item, mandate=holders[index % 3], source=ConflictSource.DECLARED, reason="x"
            )

    grow(1)
    services.meeting_convene(meeting=meeting, user=staff)
    detail = reverse("governance:meeting_detail", args=[meeting.pk])
    manage = reverse("governance:meeting_manage", args=[meeting.pk])
    counts = (_count(committee_client, detail), _count(staff_client, manage))
    grow(24)
    assert (_count(committee_client, detail), _count(staff_client, manage)) == counts
    assert counts == PINNED_DETAIL["meeting"]


def test_register_does_not_grow_with_opinions(committee_client, staff, held_meeting):
    _register_fixture(staff, held_meeting)
    url = reverse("governance:register")
    first = _count(committee_client, url)
    meeting = held_meeting[0]
    for index in range(22):
        other = AgendaItemFactory(
            meeting=meeting,
            start_time=datetime.time(8, index),
            end_time=datetime.time(8, index + 1),
        )
        services.opinion_record(item=other, user=staff, outcome="favourable", text="Avis", votes={})
    assert _count(committee_client, url) == first == PINNED_DETAIL["register"]


PINNED_DETAIL = {"programme_review": 6, "meeting": (11, 11), "register": 11}
