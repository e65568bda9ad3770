import datetime

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demo.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    ProgrammeFactory,
    seat,
    substitute_of,
)
from ess_metro import workflow
from governance import selectors, services
from governance.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    MeetingTransition,
    Presence,
    Reply,
)
from programme.models import Orientation

from .conftest import record

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_staff_plans_a_meeting_and_builds_its_agenda(staff_client):
    response = staff_client.post(
        reverse("governance:meeting_create"),
        {
            "key_moment": "programming",
            "year": "2026",
            "title": "",
            "date": "2026-12-10",
            "start_time": "14:30",
            "end_time": "17:00",
            "place": "Forum, Grenoble",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_manage_url()
    orientation = Orientation.objects.get(number=1)
    url = reverse("governance:item_create", args=[meeting.pk])
    response = staff_client.post(
        url,
        {
            "start_time": "14:45",
            "end_time": "15:15",
            "topic": "communication",
            "orientation": orientation.pk,
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert str(item) == "14h45–15h15 : communication"
    page = staff_client.get(meeting.get_manage_url()).content.decode()
    assert "14h45–15h15 : communication" in page


@pytest.mark.parametrize(
    ("start", "end"),
    [("15:00", "15:30"), ("14:30", "14:50"), ("14:50", "15:10"), ("14:00", "16:00")],
)
def test_overlapping_agenda_items_are_refused(staff_client, start, end):
    item = AgendaItemFactory()  # 14:45–15:15
    response = staff_client.post(
        reverse("governance:item_create", args=[item.meeting_id]),
        {"start_time": start, "end_time": end, "topic": "outils de développement"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "Ce point chevauche « 14h45–15h15 : Communication » : les points de l&#x27;ordre du "
        "jour ne peuvent pas se chevaucher."
    ) in content
    assert 'value="outils de développement"' in content
    assert AgendaItem.objects.count() == 1


def test_adjacent_items_are_accepted_and_editing_an_item_does_not_clash_with_itself(
    staff_client,
):
    item = AgendaItemFactory()
    response = staff_client.post(
        reverse("governance:item_create", args=[item.meeting_id]),
        {"start_time": "15:15", "end_time": "15:45", "topic": "outils de développement"},
    )
    assert response.status_code == 302
    response = staff_client.post(
        reverse("governance:item_update", args=[item.pk]),
        {"start_time": "14:40", "end_time": "15:15", "topic": "communication"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.start_time == datetime.time(14, 40)


def test_item_ending_before_it_starts_and_evaluation_without_programme(staff_client):
    meeting = MeetingFactory()
    url = reverse("governance:item_create", args=[meeting.pk])
    response = staff_client.post(url, {"start_time": "15:00", "end_time": "14:00", "topic": "x"})
    assert "Un point doit se terminer après son début." in response.content.decode()
    response = staff_client.post(
        url, {"start_time": "15:00", "end_time": "16:00", "topic": "x", "is_evaluation": "on"}
    )
    assert (
        "Choisissez la programmation dont l&#x27;évaluation est examinée."
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        # The case: 11:30–13:00 on a meeting ending at 12:00.
        ("11:30", "13:00", "end_time", "La séance se termine à 12h00"),
        ("08:59", "09:30", "start_time", "La séance commence à 09h00"),
        ("11:30", "12:01", "end_time", "La séance se termine à 12h00"),
    ],
)
def test_an_item_must_fit_in_the_meeting_s_hours(staff_client, start, end, field, message):
    meeting = MeetingFactory(start_time=datetime.time(9, 0), end_time=datetime.time(12, 0))
    url = reverse("governance:item_create", args=[meeting.pk])
    response = staff_client.post(url, {"start_time": start, "end_time": end, "topic": "bilan"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="bilan"' in response.content.decode()
    assert not meeting.items.exists()
    # From the start to the end of the meeting exactly is accepted.
    response = staff_client.post(url, {"start_time": "09:00", "end_time": "12:00", "topic": "x"})
    assert response.status_code == 302


def test_a_meeting_cannot_be_shortened_under_its_items():
    item = AgendaItemFactory()  # 14:45–15:15 on a meeting 14:30–17:00
    meeting = item.meeting
    meeting.end_time = datetime.time(15, 0)
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "Communication" in error.value.message_dict["end_time"][0]
    meeting.end_time = datetime.time(15, 15)
    meeting.full_clean()


def test_convening_a_meeting_whose_hours_passed_warns(staff_client, staff):
    past = AgendaItemFactory().meeting  # two days ago
    page = staff_client.get(past.get_manage_url()).content.decode()
    assert "Les horaires de cette séance sont passés" in page
    response = staff_client.post(reverse("governance:meeting_convene", args=[past.pk]), follow=True)
    assert "Les horaires de cette séance sont passés" in response.content.decode()
    future = AgendaItemFactory(
        meeting=MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    ).meeting
    page = staff_client.get(future.get_manage_url()).content.decode()
    assert "Les horaires de cette séance sont passés" not in page
    response = staff_client.post(
        reverse("governance:meeting_convene", args=[future.pk]), follow=True
    )
    assert "Les horaires de cette séance sont passés" not in response.content.decode()


def test_item_delete(staff_client):
    item = AgendaItemFactory()
    response = staff_client.post(reverse("governance:item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not AgendaItem.objects.exists()


def test_convening_sends_agenda_and_ics_to_every_active_member(staff_client, committee_member):
    holder = seat()
    substitute = substitute_of(holder)
    seat(end_date=timezone.localdate() - datetime.timedelta(days=30))  # ended: not invited
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    AgendaItemFactory(meeting=meeting, topic="communication")
    AgendaItemFactory(
        meeting=meeting,
        start_time=datetime.time(15, 15),
        end_time=datetime.time(15, 45),
        topic="outils de développement",
    )
    response = staff_client.post(reverse("governance:meeting_convene", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        [committee_member.email, holder.person.email, substitute.person.email]
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Comité de suivi : convocation à la séance du")
    assert "14h45–15h15 : communication" in message.body
    assert "15h15–15h45 : outils de développement" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "convocation.ics"
    assert mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart").date() == meeting.date
    assert event.decoded("dtstart").hour == 14
    assert "outils de développement" in str(event.get("description"))
    # Seats (holders) get an attendance row; substitutes do not add seats.
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    transition = MeetingTransition.objects.get(meeting=meeting)
    assert (transition.from_status, transition.to_status) == ("planned", "convened")


def test_convening_an_empty_agenda_is_refused(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("governance:meeting_convene", args=[meeting.pk]), follow=True
    )
    assert (
        "Ajoutez au moins un point à l&#x27;ordre du jour avant de convoquer la séance."
        in response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert not mail.outbox


def test_member_replies_to_the_convocation(committee_client, committee_member, held_meeting):
    meeting, _item, _seats = held_meeting
    url = reverse("governance:meeting_reply", args=[meeting.pk])
    response = committee_client.post(url, {"reply": Reply.REPRESENTED}, follow=True)
    assert "Ce siège n&#x27;a pas de suppléant pour le représenter." in response.content.decode()
    response = committee_client.post(url, {"reply": Reply.ATTENDING}, follow=True)
    assert "Votre réponse est enregistrée." in response.content.decode()
    attendance = Attendance.objects.get(meeting=meeting, mandate__person=committee_member)
    assert attendance.reply == Reply.ATTENDING


def test_substitute_answers_for_the_seat(client_for, held_meeting):
    meeting, _item, seats = held_meeting
    substitute = substitute_of(seats[1])
    response = client_for(substitute.person).post(
        reverse("governance:meeting_reply", args=[meeting.pk]), {"reply": Reply.REPRESENTED}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, mandate=seats[1]).reply == Reply.REPRESENTED


def test_staff_record_attendance_and_the_quorum_is_shown(staff_client, held_meeting):
    meeting, _item, seats = held_meeting
    url = reverse("governance:attendance", args=[meeting.pk])
    assert staff_client.get(url).status_code == 200
    data = {f"seat_{mandate.pk}": Presence.ABSENT for mandate in seats}
    data[f"seat_{seats[0].pk}"] = Presence.PRESENT
    data[f"seat_{seats[1].pk}"] = Presence.PRESENT
    response = staff_client.post(url, data, follow=True)
    content = response.content.decode()
    assert "Présences enregistrées. Le quorum du comité n&#x27;est PAS atteint" in content
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    data[f"seat_{seats[2].pk}"] = Presence.PRESENT
    response = staff_client.post(url, data, follow=True)
    content = response.content.decode()
    assert "Présences enregistrées. Le quorum du comité est atteint" in content
    assert content.count("Le quorum du comité est atteint") == 2  # the message and the section


def test_representation_requires_a_substitute(staff_client, held_meeting):
    meeting, _item, seats = held_meeting
    data = {f"seat_{mandate.pk}": Presence.PRESENT for mandate in seats}
    data[f"seat_{seats[3].pk}"] = Presence.REPRESENTED
    response = staff_client.post(reverse("governance:attendance", args=[meeting.pk]), data)
    assert "n&#x27;a pas de suppléant : le siège ne peut pas être représenté." in (
        response.content.decode()
    )


def test_attendance_cannot_be_recorded_before_the_meeting(staff, committee_member):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=5))
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff)
    with pytest.raises(Exception, match="une fois la séance tenue"):
        services.attendance_record(
            meeting=meeting,
            user=staff,
            presences={committee_member.mandates.get().pk: Presence.PRESENT},
        )


@pytest.mark.parametrize(
    ("seats", "present", "required", "met"),
    [(4, 2, 3, False), (4, 3, 3, True), (5, 3, 3, True), (5, 2, 3, False), (1, 1, 1, True)],
)
def test_quorum_arithmetic(staff, seats, present, required, met):
    mandates = [seat() for _ in range(seats)]
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff)
    record(
        meeting,
        staff,
        {
            mandate: Presence.PRESENT if index < present else Presence.EXCUSED
            for index, mandate in enumerate(mandates)
        },
    )
    result = selectors.meeting_quorum(meeting)
    assert (result.seats, result.present, result.required, result.met) == (
        seats,
        present,
        required,
        met,
    )


def test_quorum_per_college_counts_representation_and_ignores_substitute_seats(staff):
    ess = [seat("ess-actors", "associations") for _ in range(3)]
    communes = [seat() for _ in range(2)]
    substitute_of(ess[0])
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    services.meeting_convene(meeting=meeting, user=staff)
    record(
        meeting,
        staff,
        {
            ess[0]: Presence.REPRESENTED,
            ess[1]: Presence.PRESENT,
            ess[2]: Presence.ABSENT,
            communes[0]: Presence.EXCUSED,
            communes[1]: Presence.ABSENT,
        },
    )
    result = selectors.meeting_quorum(meeting)
    rows = {row.college.code: row for row in result.colleges}
    assert (rows["ess-actors"].seats, rows["ess-actors"].present) == (3, 2)
    assert rows["ess-actors"].met
    assert (rows["communes"].seats, rows["communes"].present, rows["communes"].met) == (
        2,
        0,
        False,
    )
    assert rows["public-partners"].seats == 0 and not rows["public-partners"].met
    assert (result.seats, result.present, result.required, result.met) == (5, 2, 3, False)


def test_minutes_written_then_approved_at_the_next_meeting(
    staff_client, committee_client, applicant_client, staff, held_meeting
):
    meeting, _item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    url = reverse("governance:minutes_edit", args=[meeting.pk])
    response = staff_client.post(url, {"minutes": ""})
    assert "Rédigez le procès-verbal ou joignez son fichier." in response.content.decode()
    response = staff_client.post(
        url,
        {
            "minutes": "Le comité a rendu un avis favorable.",
            "minutes_file": SimpleUploadedFile("pv.exe", b"MZ..."),
        },
    )
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    response = staff_client.post(
        url,
        {
            "minutes": "Le comité a rendu un avis favorable.",
            "minutes_file": SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_file
    download = reverse("governance:minutes_download", args=[meeting.pk])
    response = committee_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response.close()
    assert applicant_client.get(download).status_code == 403

    approve = reverse("governance:minutes_approve", args=[meeting.pk])
    # Not yet: no later meeting has been held.
    staff_client.post(approve, {"at_meeting": meeting.pk})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    following = MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    AgendaItemFactory(meeting=following)
    services.meeting_convene(meeting=following, user=staff)
    record(following, staff, dict.fromkeys(seats, Presence.PRESENT))
    response = staff_client.post(approve, {"at_meeting": following.pk}, follow=True)
    assert "Le procès-verbal est approuvé." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    assert meeting.minutes_approved_at == following
    # Approved minutes are frozen.
    assert staff_client.get(url).status_code == 302


def test_only_a_later_meeting_held_with_its_quorum_approves_minutes(
    staff_client, staff, held_meeting
):
    meeting, _item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.minutes_save(meeting=meeting, text="Avis favorable.")
    manage = reverse("governance:meeting_manage", args=[meeting.pk])
    page = staff_client.get(manage).content.decode()
    assert "Aucune séance ultérieure tenue avec son quorum" in page
    assert "Marquer comme approuvé" not in page
    # A later meeting held with nobody present: still no quorum, still nothing to choose.
    empty = MeetingFactory(date=timezone.localdate() - datetime.timedelta(days=1))
    AgendaItemFactory(meeting=empty)
    services.meeting_convene(meeting=empty, user=staff)
    record(empty, staff, dict.fromkeys(seats, Presence.ABSENT))
    page = staff_client.get(manage).content.decode()
    assert "Aucune séance ultérieure tenue avec son quorum" in page
    approve = reverse("governance:minutes_approve", args=[meeting.pk])
    response = staff_client.post(approve, {"at_meeting": empty.pk}, follow=True)
    assert "Choisissez la séance ultérieure" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(meeting=meeting, at_meeting=empty, user=staff)
    assert "n'a pas atteint son quorum" in error.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    # Once a later meeting reaches its quorum, it is offered and approves the minutes.
    quorate = MeetingFactory(date=timezone.localdate())
    AgendaItemFactory(meeting=quorate)
    services.meeting_convene(meeting=quorate, user=staff)
    record(quorate, staff, dict.fromkeys(seats, Presence.PRESENT))
    page = staff_client.get(manage).content.decode()
    assert f'<option value="{quorate.pk}">' in page
    assert f'<option value="{empty.pk}">' not in page
    response = staff_client.post(approve, {"at_meeting": quorate.pk}, follow=True)
    assert "Le procès-verbal est approuvé." in response.content.decode()


def test_documents_are_private_and_served_to_members_only(
    staff_client, committee_client, applicant_client, client
):
    item = AgendaItemFactory()
    response = staff_client.post(
        reverse("governance:document_upload", args=[item.pk]),
        {"title": "Projet de programmation", "file": SimpleUploadedFile("prog.pdf", PDF)},
    )
    assert response.status_code == 302
    document = item.documents.get()
    assert "/media/" not in document.file.storage.location
    url = document.get_absolute_url()
    response = committee_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    response.close()
    assert applicant_client.get(url).status_code == 403
    assert client.get(url).status_code == 302
    response = staff_client.post(
        reverse("governance:document_upload", args=[item.pk]),
        {"title": "Vide", "file": SimpleUploadedFile("vide.pdf", b"")},
        follow=True,
    )
    assert item.documents.count() == 1


def test_cycle_shows_held_scheduled_and_missing_moments(committee_client, staff):
    day = timezone.localdate() - datetime.timedelta(days=2)
    year = day.year
    held = MeetingFactory(key_moment="evaluation", date=day, year=year)
    AgendaItemFactory(meeting=held)
    services.meeting_convene(meeting=held, user=staff)
    seat_ = seat()
    record(held, staff, {seat_: Presence.PRESENT})
    MeetingFactory(key_moment="programming", date=datetime.date(year, 12, 30), year=year)
    # A seat that already ran the year before, whatever today's date is.
    seat_ = seat(start_date=datetime.date(year - 2, 1, 1))
    # The communication strategy of the year, discussed and held the year before, counts.
    before = MeetingFactory(
        key_moment="communication", date=datetime.date(year - 1, 11, 6), year=year
    )
    AgendaItemFactory(meeting=before)
    services.meeting_convene(meeting=before, user=staff)
    record(before, staff, {})  # held (the test's seat did not exist yet)
    MeetingFactory(
        key_moment="prospective", date=datetime.date(year - 1, 9, 1), year=year - 1, status="held"
    )  # neither held this year nor about it
    response = committee_client.get(reverse("governance:cycle"), {"annee": str(year)})
    rows = {row.moment: row.state for row in response.context["cycle"]}
    assert rows == {
        "programming": "scheduled",
        "evaluation": "held",
        "prospective": "missing",
        "communication": "held",
    }
    content = response.content.decode()
    assert "Manquant" in content and "Tenu" in content and "Programmé" in content
    response = committee_client.get(reverse("governance:cycle"), {"annee": "abc"})
    assert response.status_code == 200


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_member_comments_the_draft_programme_line_by_line(
    committee_client, committee_member, staff
):
    from demo.factories.governance import LineFactory
    from governance.models import LineComment

    line = LineFactory()
    url = reverse("governance:programme_review", args=[line.programme_id])
    response = committee_client.post(url, {"line": line.pk, "text": ""})
    assert "Ce champ est obligatoire." in response.content.decode()
    response = committee_client.post(url, {"line": line.pk, "text": "Prévoir les communes."})
    assert response.status_code == 302
    comment = LineComment.objects.get()
    assert (comment.author, comment.line) == (committee_member, line)
    assert "Prévoir les communes." in committee_client.get(url).content.decode()
    # Staff read the members' comments on their own programme page.
    staff_page = _client(staff).get(
        reverse("programme:staff_programme_detail", args=[line.programme_id])
    )
    content = staff_page.content.decode()
    assert "Commentaires des membres du comité" in content
    assert "Prévoir les communes." in content and line.title in content
    # Closed once the committee's opinion is recorded.
    workflow.fire(line.programme, "record_opinion")
    response = committee_client.post(url, {"line": line.pk, "text": "Trop tard."})
    assert "Les commentaires ne sont ouverts que pendant" in response.content.decode()
    # A draft programme is not shown to the committee.
    draft = ProgrammeFactory(status="draft")
    assert (
        committee_client.get(reverse("governance:programme_review", args=[draft.pk])).status_code
        == 404
    )


def test_moving_a_convened_meeting_sends_the_new_convocation(staff_client, committee_member):
    meeting = MeetingFactory(date=timezone.localdate() + datetime.timedelta(days=10))
    AgendaItemFactory(meeting=meeting)
    staff_client.post(reverse("governance:meeting_convene", args=[meeting.pk]))
    mail.outbox.clear()
    new_date = timezone.localdate() + datetime.timedelta(days=17)
    data = {
        "key_moment": meeting.key_moment,
        "year": meeting.year,
        "title": "",
        "date": new_date.isoformat(),
        "start_time": "14:30",
        "end_time": "17:00",
        "place": meeting.place,
    }
    response = staff_client.post(
        reverse("governance:meeting_update", args=[meeting.pk]), data, follow=True
    )
    assert "chaque membre a reçu la nouvelle convocation" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[committee_member.email]]
    message = mail.outbox[0]
    assert message.subject.startswith("Comité de suivi : la séance est déplacée au")
    assert "remplace la précédente" in message.body
    event = next(iter(icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")))
    assert event.decoded("dtstart").date() == new_date
    assert int(event["sequence"]) == 1
    # Saving without moving it sends nothing.
    mail.outbox.clear()
    staff_client.post(
        reverse("governance:meeting_update", args=[meeting.pk]), {**data, "title": "Séance"}
    )
    assert not mail.outbox


def test_a_held_meeting_can_no_longer_be_edited(staff_client, staff, held_meeting):
    meeting, _item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    url = reverse("governance:meeting_update", args=[meeting.pk])
    assert staff_client.get(url).status_code == 302
    assert staff_client.post(url, {}).status_code == 403


def test_staff_remove_a_document(staff_client):
    item = AgendaItemFactory()
    staff_client.post(
        reverse("governance:document_upload", args=[item.pk]),
        {"title": "Note", "file": SimpleUploadedFile("note.pdf", PDF)},
    )
    document = item.documents.get()
    storage, name = document.file.storage, document.file.name
    response = staff_client.post(reverse("governance:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not item.documents.exists()
    assert not storage.exists(name)


def test_cycle_year_navigation_returns_the_partial_to_htmx(committee_client):
    response = committee_client.get(
        reverse("governance:cycle"), {"annee": "2025"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="cycle-panel"' in content
    assert "Les quatre temps forts de 2025" in content


def test_the_agenda_of_a_held_meeting_is_frozen(staff_client, staff, held_meeting):
    meeting, item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    response = staff_client.post(
        reverse("governance:item_create", args=[meeting.pk]),
        {"start_time": "16:00", "end_time": "16:30", "topic": "Divers"},
    )
    assert (
        "L&#x27;ordre du jour d&#x27;une séance déjà tenue ne peut plus être modifié."
        in response.content.decode()
    )
    response = staff_client.post(reverse("governance:item_delete", args=[item.pk]), follow=True)
    assert "ne peut plus être modifié" in response.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_attendance_sheet_pdf_lists_every_seat(staff_client, held_meeting):
    import io

    from pypdf import PdfReader

    meeting, _item, seats = held_meeting
    substitute = substitute_of(seats[1])
    response = staff_client.get(reverse("governance:attendance_sheet", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Feuille d'émargement" in text
    for mandate in seats:
        assert mandate.person.last_name in text
    assert substitute.person.last_name in text


def test_members_without_an_answer_are_reminded(staff_client, committee_client, held_meeting):
    meeting, _item, seats = held_meeting
    committee_client.post(
        reverse("governance:meeting_reply", args=[meeting.pk]), {"reply": Reply.ATTENDING}
    )
    mail.outbox.clear()
    response = staff_client.post(
        reverse("governance:meeting_remind", args=[meeting.pk]), follow=True
    )
    assert "Une relance a été envoyée à 3 membres." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        mandate.person.email for mandate in seats[1:]
    )
    assert mail.outbox[0].subject.startswith("Relance : merci de répondre à la convocation")
