"""The meeting's workflow (ess_metro.workflow), the committee's predicates and the mandate's
audit trail shown to staff."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from demo.factories.core import MandateFactory
from demo.factories.governance import AgendaItemFactory, MeetingFactory
from ess_metro import workflow
from governance import permissions, services
from governance.models import Meeting, MeetingStatus, SeatCategory

pytestmark = pytest.mark.django_db

HOLD_REASON = "Les présences ne peuvent être saisies qu'une fois la séance tenue."


def test_a_status_saved_outside_a_transition_is_refused():
    meeting = MeetingFactory()
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.status = MeetingStatus.CONVENED
    with pytest.raises(workflow.StatusChangedOutsideWorkflow):
        meeting.save()


def test_convening_needs_an_agenda_and_staff(staff, committee_member):
    meeting = MeetingFactory()
    assert workflow.unmet_conditions(meeting, "convene") == [
        "Ajoutez au moins un point à l'ordre du jour avant de convoquer la séance."
    ]
    AgendaItemFactory(meeting=meeting)
    assert workflow.unmet_conditions(meeting, "convene") == []
    with pytest.raises(PermissionDenied):
        workflow.fire(meeting, "convene", user=committee_member)
    assert [action.name for action in workflow.actions_for(meeting, staff)] == ["convene"]
    assert workflow.actions_for(meeting, committee_member) == []


def test_each_step_is_logged_with_its_person(staff, committee_member):
    meeting = MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff, send=False)
    services.attendance_record(meeting=meeting, user=staff, presences={})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    steps = list(meeting.transitions.values_list("from_status", "to_status", "user"))
    assert steps == [("planned", "convened", staff.pk), ("convened", "held", staff.pk)]
    with pytest.raises(ValidationError, match="Rédigez le procès-verbal"):
        workflow.fire(meeting, "approve_minutes", user=staff, at_meeting=meeting)


def test_attendance_is_not_recorded_before_the_meeting_by_the_transition_either(staff):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=1))
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff, send=False)
    meeting.refresh_from_db()
    assert workflow.unmet_conditions(meeting, "hold") == [HOLD_REASON]


def test_staff_manage_page_offers_convene_only_when_possible(staff_client):
    meeting = MeetingFactory()
    url = reverse("governance:meeting_manage", args=[meeting.pk])
    convene = reverse("governance:meeting_convene", args=[meeting.pk])
    assert convene not in staff_client.get(url).content.decode()
    AgendaItemFactory(meeting=meeting)
    content = staff_client.get(url).content.decode()
    assert convene in content
    assert "badge text-bg-secondary" in content  # the status badge of a planned meeting


def test_reply_and_conflict_predicates(staff, committee_member):
    meeting = MeetingFactory(date=timezone.localdate())
    item = AgendaItemFactory(meeting=meeting)
    assert not permissions.can_reply.test(committee_member, meeting)  # not convened yet
    services.meeting_convene(meeting=meeting, user=staff, send=False)
    meeting.refresh_from_db()
    assert permissions.can_reply.test(committee_member, meeting)
    assert not permissions.can_reply.test(staff, meeting)  # staff hold no seat
    assert committee_member.has_perm("governance.declare_conflict", item)
    assert not staff.has_perm("governance.declare_conflict", item)
    assert staff.has_perm("governance.convene", meeting)
    assert not committee_member.has_perm("governance.convene", meeting)
    assert staff.has_perm("governance.manage_mandates")
    assert not committee_member.has_perm("governance.manage_mandates")
    assert committee_member.has_perm("governance.read_minutes", meeting)


def test_the_mandate_page_shows_its_audit_trail_to_staff(staff_client):
    mandate = MandateFactory(category=SeatCategory.MUTUALS)
    url = reverse("governance:mandate_update", args=[mandate.pk])
    end = timezone.localdate() + datetime.timedelta(days=30)
    staff_client.post(
        url,
        {
            "organisation": mandate.organisation_id,
            "college": mandate.college_id,
            "category": mandate.category,
            "kind": mandate.kind,
            "holder": "",
            "start_date": mandate.start_date.isoformat(),
            "end_date": end.isoformat(),
        },
    )
    content = staff_client.get(url).content.decode()
    assert "Claire Dupont" in content  # who ended the mandate
    assert end.strftime("%d/%m/%Y") in content
