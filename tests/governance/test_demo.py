from io import StringIO

import pytest
from django.core.management import call_command

from governance import selectors
from governance.models import COLLEGE_SEATS, Mandate, Meeting, MeetingStatus, Opinion

pytestmark = pytest.mark.django_db


def test_demo_committee_is_complete_and_its_year_is_told():
    call_command("seed_demo", stdout=StringIO())
    holders = Mandate.objects.active().holders()
    for category, quota in COLLEGE_SEATS["ess-actors"].items():
        assert holders.filter(category=category).count() == quota
    for code in ["communes", "public-partners", "resource-actors"]:
        assert holders.filter(college__code=code).exists()
    assert Mandate.objects.ended().exists()
    assert Mandate.objects.filter(kind="substitute").exists()
    states = {row.moment: row.state for row in selectors.year_cycle(2025)}
    assert set(states.values()) == {"held"}
    meetings_2025 = Meeting.objects.filter(date__year=2025)
    assert all(meeting.minutes for meeting in meetings_2025)
    assert all(selectors.meeting_quorum(meeting).met for meeting in meetings_2025)
    assert Opinion.objects.filter(item__meeting__date__year=2025).count() == 4
    assert Opinion.objects.filter(votes__conflict=True).exists()
    programming = Meeting.objects.get(date__year=2026, key_moment="programming")
    assert programming.status == MeetingStatus.CONVENED
    counts = (Mandate.objects.count(), Meeting.objects.count(), Opinion.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Mandate.objects.count(), Meeting.objects.count(), Opinion.objects.count()) == counts
