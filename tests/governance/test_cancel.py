"""Cancelling a committee meeting, and the e-mail announcing approved minutes (issue 6)."""

import datetime

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from demo.factories.governance import AgendaItemFactory, MeetingFactory, seat, substitute_of
from governance import selectors, services
from governance.models import (
    KeyMoment,
    Meeting,
    MeetingStatus,
    MeetingTransition,
    Opinion,
    Presence,
    Reply,
)

from .conftest import record

pytestmark = pytest.mark.django_db

REASON = "La salle du Forum n'est plus disponible ; la séance sera reprogrammée."
ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _cancel_url(meeting) -> str:
    return reverse("governance:meeting_cancel", args=[meeting.pk])


def _event(ics) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    return calendar, next(iter(calendar.walk("VEVENT")))


@pytest.fixture
def convened(staff, committee_member):
    """A meeting in ten days, convened: its convocation has been sent."""
    meeting = MeetingFactory(date=_in_days(10))
    AgendaItemFactory(meeting=meeting, topic="communication")
    services.meeting_convene(meeting=meeting, user=staff)
    meeting.refresh_from_db()
    return meeting


# --- cancelling -----------------------------------------------------------------------------


def test_cancelling_a_planned_meeting_sends_nothing_and_is_logged(staff_client, staff):
    meeting = MeetingFactory(date=_in_days(20))
    response = staff_client.post(_cancel_url(meeting), {"reason": REASON}, follow=True)
    assert "La séance est annulée." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancellation_reason == REASON
    assert meeting.cancelled_at is not None
    assert not mail.outbox
    transition = MeetingTransition.objects.get(meeting=meeting)
    assert (transition.from_status, transition.to_status) == ("planned", "cancelled")
    assert (transition.user, transition.comment) == (staff, REASON)
    # The manage page shows the cancellation and its reason, and no longer offers to cancel.
    page = response.content.decode()
    assert "Cette séance a été annulée le" in page
    assert "La salle du Forum n&#x27;est plus disponible" in page
    assert _cancel_url(meeting) not in page


def test_cancelling_a_convened_meeting_tells_every_member_with_a_cancel_ics(
    staff_client, convened, committee_member, django_capture_on_commit_callbacks
):
    holder = seat()
    substitute = substitute_of(holder)
    seat(end_date=timezone.localdate() - datetime.timedelta(days=30))  # ended: not told
    # The convocation these members received (same recipients, same UID).
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(meeting=convened, changed=[])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(meeting=convened, changed=["place"])  # a move: revision 1
    convocation = mail.outbox[0]
    _cal, invitation = _event(convocation.attachments[0][1])
    convocation_recipients = sorted(message.to[0] for message in mail.outbox)
    mail.outbox.clear()

    response = staff_client.post(_cancel_url(convened), {"reason": REASON}, follow=True)
    assert "chaque membre convoqué a été prévenu par courriel" in response.content.decode()
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CANCELLED
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == convocation_recipients
    assert recipients == sorted(
        [committee_member.email, holder.person.email, substitute.person.email]
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Comité de suivi : la séance du")
    assert "est annulée" in message.subject
    assert "Motif : " + REASON in message.body
    assert convened.get_absolute_url() in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "annulation.ics"
    assert mimetype.startswith("text/calendar")
    calendar, event = _event(content)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(invitation["uid"]) == f"meeting-{convened.pk}@essmetro"
    assert int(event["sequence"]) > int(invitation["sequence"])
    assert int(event["sequence"]) == 2
    assert str(event["organizer"]).startswith("mailto:")
    transition = convened.transitions.get(to_status=MeetingStatus.CANCELLED)
    assert transition.from_status == MeetingStatus.CONVENED


def test_cancelling_needs_a_reason(staff_client, convened):
    response = staff_client.post(_cancel_url(convened), {"reason": "   "})
    assert response.status_code == 422  # the form is shown again with its error
    assert "Indiquez le motif de l&#x27;annulation." in response.content.decode()
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CONVENED
    assert not MeetingTransition.objects.filter(to_status=MeetingStatus.CANCELLED).exists()
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        services.meeting_cancel(meeting=convened, user=None, reason="")


def test_a_held_meeting_cannot_be_cancelled(staff_client, staff, held_meeting):
    meeting, _item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    response = staff_client.post(_cancel_url(meeting), {"reason": REASON}, follow=True)
    assert (
        "Une séance qui s&#x27;est tenue ne peut pas être annulée : "
        "ses présences sont enregistrées."
    ) in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert all("annulée" not in message.subject for message in mail.outbox)


def test_a_cancelled_meeting_cannot_be_cancelled_again_convened_or_edited(staff_client, staff):
    meeting = MeetingFactory(date=_in_days(20))
    AgendaItemFactory(meeting=meeting)
    services.meeting_cancel(meeting=meeting, user=staff, reason=REASON)
    response = staff_client.post(_cancel_url(meeting), {"reason": REASON}, follow=True)
    assert "Cette séance est déjà annulée." in response.content.decode()
    response = staff_client.post(
        reverse("governance:meeting_convene", args=[meeting.pk]), follow=True
    )
    assert "Cette séance a été annulée." in response.content.decode()
    assert not mail.outbox
    assert staff_client.get(
        reverse("governance:meeting_update", args=[meeting.pk])
    ).status_code == (302)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.transitions.count() == 1


def test_a_cancelled_meeting_refuses_replies_attendance_and_opinions(
    staff_client, committee_client, staff, held_meeting
):
    meeting, item, seats = held_meeting  # convened, two days ago, attendance not recorded
    services.meeting_cancel(meeting=meeting, user=staff, reason=REASON)
    response = committee_client.post(
        reverse("governance:meeting_reply", args=[meeting.pk]),
        {"reply": Reply.ATTENDING},
        follow=True,
    )
    content = response.content.decode()
    assert "Cette séance a été annulée." in content
    assert "Votre réponse a été enregistrée" not in content
    assert not meeting.attendances.exclude(reply="").exists()
    # Attendance: the page is not offered and a forced post is refused.
    url = reverse("governance:attendance", args=[meeting.pk])
    assert staff_client.get(url).status_code == 302
    data = {f"seat_{mandate.pk}": Presence.PRESENT for mandate in seats}
    response = staff_client.post(url, data)
    assert "Cette séance a été annulée." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.attendance_recorded_at is None
    # Opinion and conflict declarations are refused too.
    response = staff_client.post(
        reverse("governance:opinion_create", args=[item.pk]),
        {"outcome": "favourable", "text": "Avis favorable."},
    )
    assert "Cette séance a été annulée." in response.content.decode()
    assert not Opinion.objects.filter(item=item).exists()
    with pytest.raises(ValidationError, match="Cette séance a été annulée"):
        services.opinion_record(item=item, user=staff, outcome="favourable", text="x", votes={})
    response = committee_client.post(
        reverse("governance:conflict_declare", args=[item.pk]),
        {"reason": "Notre association porte le projet."},
        follow=True,
    )
    assert "Cette séance a été annulée." in response.content.decode()
    assert not item.conflicts.exists()


def test_a_cancelled_meeting_leaves_the_members_upcoming_meetings(
    committee_client, staff, convened
):
    home = reverse("governance:committee_home")
    assert convened.get_absolute_url() in committee_client.get(home).content.decode()
    services.meeting_cancel(meeting=convened, user=staff, reason=REASON)
    response = committee_client.get(home)
    assert convened not in response.context["upcoming"]
    assert convened not in Meeting.objects.upcoming()
    # Its page still says why, and no longer offers a reply.
    page = committee_client.get(convened.get_absolute_url()).content.decode()
    assert "Cette séance a été annulée le" in page
    assert reverse("governance:meeting_reply", args=[convened.pk]) not in page


def test_a_cancelled_meeting_stays_in_the_staff_list_with_its_reason(staff_client, staff):
    meeting = MeetingFactory(date=_in_days(20))
    services.meeting_cancel(meeting=meeting, user=staff, reason=REASON)
    page = staff_client.get(reverse("governance:meeting_list")).content.decode()
    assert meeting.get_manage_url() in page
    assert "Annulée" in page
    assert "La salle du Forum n&#x27;est plus disponible" in page


def test_the_cycle_counts_a_cancelled_meeting_as_not_held(committee_client, staff):
    year = timezone.localdate().year
    meeting = MeetingFactory(date=_in_days(20), key_moment=KeyMoment.EVALUATION, year=year)
    date = meeting.date
    state = {row.moment: row.state for row in selectors.year_cycle(date.year)}
    assert state[KeyMoment.EVALUATION] == selectors.SCHEDULED
    services.meeting_cancel(meeting=meeting, user=staff, reason=REASON)
    state = {row.moment: row.state for row in selectors.year_cycle(date.year)}
    assert state[KeyMoment.EVALUATION] == selectors.MISSING
    # Another meeting for the same key moment covers it again.
    MeetingFactory(date=date, key_moment=KeyMoment.EVALUATION, year=year)
    state = {row.moment: row.state for row in selectors.year_cycle(date.year)}
    assert state[KeyMoment.EVALUATION] == selectors.SCHEDULED


def test_the_cycle_page_shows_the_key_moment_missing(committee_client, staff):
    today = timezone.localdate()
    meeting = MeetingFactory(date=today, key_moment=KeyMoment.PROSPECTIVE, year=today.year)
    services.meeting_cancel(meeting=meeting, user=staff, reason=REASON)
    response = committee_client.get(reverse("governance:cycle"))
    rows = {row.moment: row for row in response.context["cycle"]}
    assert rows[KeyMoment.PROSPECTIVE].state == selectors.MISSING
    assert "Annulée" in response.content.decode()


def test_the_calendar_feeds_mark_a_cancelled_meeting(
    committee_client, client, committee_member, staff, convened
):
    services.meeting_cancel(meeting=convened, user=staff, reason=REASON)
    token = services.calendar_token_for(user=committee_member)
    for response in (
        committee_client.get(reverse("governance:calendar_feed")),
        client.get(reverse("governance:calendar_token_feed", args=[token.token])),
    ):
        calendar = icalendar.Calendar.from_ical(response.content)
        events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
        event = events[f"meeting-{convened.pk}@essmetro"]
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == 1


# --- per role -------------------------------------------------------------------------------

POST_EXPECTED = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 403,
    "staff": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_cancel_url_per_role(role_clients, role):
    meeting = MeetingFactory(date=_in_days(20))
    url = _cancel_url(meeting)
    response = role_clients[role].post(url, {"reason": REASON})
    assert response.status_code == POST_EXPECTED[role]
    meeting.refresh_from_db()
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if role == "staff":
        assert response["Location"] == meeting.get_manage_url()
        assert meeting.status == MeetingStatus.CANCELLED
    else:
        assert meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize("role", ROLES)
def test_cancel_url_is_post_only(role_clients, role):
    meeting = MeetingFactory(date=_in_days(20))
    response = role_clients[role].get(_cancel_url(meeting))
    expected = {**POST_EXPECTED, "staff": 405}[role]
    assert response.status_code == expected
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_cancel_of_an_unknown_meeting_is_404(staff_client):
    response = staff_client.post(
        reverse("governance:meeting_cancel", args=[999999]), {"reason": REASON}
    )
    assert response.status_code == 404


# --- minutes published ----------------------------------------------------------------------


def test_approved_minutes_are_announced_to_members(
    staff_client, committee_client, staff, held_meeting
):
    meeting, _item, seats = held_meeting
    ended = seat(end_date=timezone.localdate() - datetime.timedelta(days=30))
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.minutes_save(meeting=meeting, text="Procès-verbal de la séance.")
    following = MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    AgendaItemFactory(meeting=following)
    services.meeting_convene(meeting=following, user=staff)
    record(following, staff, dict.fromkeys(seats, Presence.PRESENT))
    mail.outbox.clear()
    response = staff_client.post(
        reverse("governance:minutes_approve", args=[meeting.pk]),
        {"at_meeting": following.pk},
        follow=True,
    )
    assert "Le procès-verbal est approuvé." in response.content.decode()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(mandate.person.email for mandate in seats)
    assert ended.person.email not in recipients
    message = mail.outbox[0]
    assert message.subject.startswith("Comité de suivi : le procès-verbal de la séance du")
    assert "est publié" in message.subject
    assert settings.SITE_URL + meeting.get_absolute_url() in message.body
    assert "approuvé lors de la séance du" in message.body
    # The link leads members to the page where the minutes are.
    page = committee_client.get(meeting.get_absolute_url()).content.decode()
    assert "Procès-verbal de la séance." in page


# --- query counts ---------------------------------------------------------------------------


def _add_cancelled(staff, n):
    for index in range(n):
        # Convened, then cancelled: calendars carry them to remove them.
        meeting = MeetingFactory(
            date=_in_days(5 + index), status="convened", convened_at=timezone.now()
        )
        services.meeting_cancel(meeting=meeting, user=staff, reason=f"{REASON} ({index})")


@pytest.mark.parametrize(
    ("name", "client_name", "queries"),
    [
        ("meeting_list", "staff_client", 6),
        ("calendar_feed", "committee_client", 5),
        ("committee_home", "committee_client", 8),  # none upcoming: no prefetch
    ],
)
def test_cancelled_meetings_do_not_grow_the_queries(
    request, django_assert_num_queries, staff, name, client_name, queries
):
    client = request.getfixturevalue(client_name)
    url = reverse(f"governance:{name}")
    _add_cancelled(staff, 1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _add_cancelled(staff, 24)
    with django_assert_num_queries(queries):
        response = client.get(url)
    if name == "meeting_list":
        assert response.content.decode().count("Motif :") == 25
