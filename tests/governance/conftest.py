import pytest
from django.test import Client

from demo.factories.governance import AgendaItemFactory, MeetingFactory, seat
from governance import services


@pytest.fixture
def held_meeting(committee_member, staff):
    """A meeting two days ago with four seats (the committee member's and three communes),
    convened, with an agenda item; attendance is left to the test."""
    seats = [committee_member.mandates.get(), seat(), seat(), seat()]
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff)
    meeting.refresh_from_db()
    return meeting, item, seats


def record(meeting, staff, presences):
    """presences: {mandate: Presence}"""
    services.attendance_record(
        meeting=meeting, user=staff, presences={m.pk: p for m, p in presences.items()}
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
