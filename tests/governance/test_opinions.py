import csv
import io
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from communication.models import StrategyStatus
from demo.factories.governance import LineFactory, ProgrammeFactory, StrategyFactory
from governance import services
from governance.models import (
    ConflictOfInterest,
    ConflictSource,
    Opinion,
    Outcome,
    Presence,
    Vote,
    VoteChoice,
)
from programme.models import ProgrammeStatus
from programme.review import committee_review

from .conftest import record

pytestmark = pytest.mark.django_db


def _post(item, seats, outcome="favourable", **votes):
    data = {"outcome": outcome, "text": "Le comité émet un avis favorable."}
    for mandate in seats:
        data[f"vote_{mandate.pk}"] = votes.get(str(mandate.pk), VoteChoice.FOR)
    return data


def test_voting_is_refused_without_quorum(staff_client, staff, held_meeting):
    meeting, item, seats = held_meeting
    record(
        meeting,
        staff,
        {
            seats[0]: Presence.PRESENT,
            seats[1]: Presence.PRESENT,
            seats[2]: Presence.EXCUSED,
            seats[3]: Presence.ABSENT,
        },
    )
    url = reverse("governance:opinion_create", args=[item.pk])
    page = staff_client.get(url).content.decode()
    assert "Le quorum n'est pas atteint : le comité ne peut pas rendre d'avis" in page
    response = staff_client.post(url, _post(item, seats[:2]))
    assert (
        "Le quorum n&#x27;est pas atteint (2 sièges présents ou représentés sur 4, 3 requis) : "
        "l&#x27;avis ne peut pas être enregistré."
    ) in response.content.decode()
    assert not Opinion.objects.exists()


def test_opinion_with_quorum_counts_votes_per_college(staff_client, staff, held_meeting):
    meeting, item, seats = held_meeting
    record(meeting, staff, dict.fromkeys(seats[:3], Presence.PRESENT))
    response = staff_client.post(
        reverse("governance:opinion_create", args=[item.pk]),
        _post(item, seats[:3], **{str(seats[2].pk): VoteChoice.AGAINST}),
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    tallies = {row["college"].code: row for row in opinion.tallies()}
    assert (tallies["ess-actors"]["for"], tallies["communes"]["for"]) == (1, 1)
    assert tallies["communes"]["against"] == 1
    # Recording twice is refused.
    response = staff_client.get(reverse("governance:opinion_create", args=[item.pk]))
    assert response.status_code == 302


def test_a_conflicted_member_cannot_vote(
    staff_client, staff, committee_client, committee_member, held_meeting
):
    meeting, item, seats = held_meeting
    response = committee_client.post(
        reverse("governance:conflict_declare", args=[item.pk]),
        {"reason": "Notre association porte le projet."},
        follow=True,
    )
    assert "Votre conflit d&#x27;intérêts est enregistré" in response.content.decode()
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.mandate.person, conflict.source) == (committee_member, ConflictSource.DECLARED)
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    url = reverse("governance:opinion_create", args=[item.pk])
    page = staff_client.get(url).content.decode()
    assert "Conflit d'intérêts : s'abstient sur ce point." in page
    response = staff_client.post(url, _post(item, seats, **{str(seats[0].pk): VoteChoice.FOR}))
    name = escape(str(committee_member))
    message = f"{name} a un conflit d&#x27;intérêts sur ce point et ne peut pas voter."
    assert message in response.content.decode()
    assert not Opinion.objects.exists()
    response = staff_client.post(
        url, _post(item, seats, **{str(seats[0].pk): VoteChoice.ABSTENTION})
    )
    assert response.status_code == 302
    vote = Vote.objects.get(mandate=seats[0])
    assert (vote.choice, vote.conflict) == (VoteChoice.ABSTENTION, True)
    page = committee_client.get(meeting.get_absolute_url()).content.decode()
    assert "Abstention pour conflit d'intérêts :" in page
    assert escape(str(committee_member)) in page


def test_beneficiary_organisation_is_flagged_automatically(staff, held_meeting):
    meeting, item, seats = held_meeting
    programme = ProgrammeFactory()
    LineFactory(programme=programme, beneficiary=seats[1].organisation, title="DLA")
    LineFactory(programme=programme)
    item.programme = programme
    services.agenda_item_save(item=item)
    conflict = ConflictOfInterest.objects.get()
    assert conflict.mandate == seats[1]
    assert conflict.source == ConflictSource.AUTOMATIC
    assert "est bénéficiaire de la ligne « DLA »" in conflict.reason
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    with pytest.raises(ValidationError, match="conflit d'intérêts"):
        services.opinion_record(
            item=item,
            user=staff,
            outcome=Outcome.FAVOURABLE,
            text="Avis",
            votes={seats[1].pk: VoteChoice.FOR},
        )
    opinion = services.opinion_record(
        item=item,
        user=staff,
        outcome=Outcome.RESERVED,
        text="Avis favorable avec réserves",
        votes={seats[0].pk: VoteChoice.FOR, seats[2].pk: VoteChoice.FOR},
    )
    assert [vote.mandate for vote in opinion.conflicted_votes()] == [seats[1]]
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.COMMITTEE_OPINION


def test_votes_only_from_members_present(staff, held_meeting):
    meeting, item, seats = held_meeting
    record(
        meeting, staff, {**dict.fromkeys(seats[:3], Presence.PRESENT), seats[3]: Presence.ABSENT}
    )
    with pytest.raises(ValidationError, match="Seuls les membres présents ou représentés"):
        services.opinion_record(
            item=item,
            user=staff,
            outcome=Outcome.FAVOURABLE,
            text="Avis",
            votes={seats[3].pk: VoteChoice.FOR},
        )


def test_opinion_on_a_programme_not_submitted_is_refused(staff, held_meeting):
    meeting, item, seats = held_meeting
    item.programme = ProgrammeFactory(status=ProgrammeStatus.DRAFT)
    item.save()
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    with pytest.raises(ValidationError, match="doit être soumise au comité"):
        services.opinion_record(
            item=item, user=staff, outcome=Outcome.FAVOURABLE, text="Avis", votes={}
        )
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Outcome.FAVOURABLE, StrategyStatus.VALIDATED),
        (Outcome.RESERVED, StrategyStatus.VALIDATED),
        (Outcome.UNFAVOURABLE, StrategyStatus.SUBMITTED),
    ],
)
def test_a_favourable_opinion_validates_the_strategy(staff, held_meeting, outcome, status):
    meeting, item, seats = held_meeting
    item.strategy = StrategyFactory()
    item.save()
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.opinion_record(item=item, user=staff, outcome=outcome, text="Avis", votes={})
    item.strategy.refresh_from_db()
    assert item.strategy.status == status


def _register_fixture(staff, held_meeting):
    meeting, item, seats = held_meeting
    ConflictOfInterest.objects.create(
        item=item, mandate=seats[1], source=ConflictSource.DECLARED, reason="Porteur"
    )
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.opinion_record(
        item=item,
        user=staff,
        outcome=Outcome.FAVOURABLE,
        text="Avis favorable au plan de communication.",
        votes={seats[0].pk: VoteChoice.FOR, seats[2].pk: VoteChoice.AGAINST},
    )
    return seats


def test_decision_register_and_its_csv_export(committee_client, staff, held_meeting):
    seats = _register_fixture(staff, held_meeting)
    page = committee_client.get(reverse("governance:register")).content.decode()
    assert "Avis favorable au plan de communication." in page
    assert escape(str(seats[1].person)) in page
    response = committee_client.get(reverse("governance:register_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert header[:5] == ["Date", "Séance", "Point", "Objet", "Avis"]
    values = dict(zip(header, row, strict=True))
    assert values["Avis"] == "Favorable"
    assert values["Collège « acteurs de l'ESS » : pour"] == "1"
    assert values["Collège « communes » : contre"] == "1"
    assert values["Collège « communes » : abstention"] == "1"
    assert values["Abstention pour conflit d'intérêts"] == str(seats[1].person)


def test_decision_register_pdf(committee_client, staff, held_meeting):
    seats = _register_fixture(staff, held_meeting)
    response = committee_client.get(reverse("governance:register_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Registre des avis du comité de suivi" in text
    assert str(seats[1].person) in text
    assert "page 1 / 1" in text


def test_committee_provider_for_the_programme_page(staff, held_meeting):
    meeting, item, seats = held_meeting
    programme = ProgrammeFactory()
    item.programme = programme
    item.save()
    record(meeting, staff, dict.fromkeys(seats, Presence.PRESENT))
    services.opinion_record(
        item=item,
        user=staff,
        outcome=Outcome.FAVOURABLE,
        text="Avis favorable",
        votes={mandate.pk: VoteChoice.FOR for mandate in seats},
    )
    review = committee_review(programme)
    assert [college["name"] for college in review["colleges"]] == [
        "Collège « acteurs de l'ESS »",
        "Collège « communes »",
    ]
    member = review["colleges"][0]["members"][0]
    assert set(member) == {"name", "organisation", "kind"}
    assert member["kind"] == "Titulaire"
    opinion = review["opinion"]
    assert opinion["date"] == meeting.date
    assert opinion["outcome"] == "Favorable"
    assert opinion["text"] == "Avis favorable"
    assert opinion["conflicts"] == []
    assert {row["college"]: row["for"] for row in opinion["tallies"]} == {
        "Collège « acteurs de l'ESS »": 1,
        "Collège « communes »": 3,
    }
    assert set(opinion["tallies"][0]) == {"college", "for", "against", "abstention"}
    assert committee_review(ProgrammeFactory())["opinion"] is None


def test_register_filters_by_year(committee_client, staff, held_meeting):
    _register_fixture(staff, held_meeting)
    year = held_meeting[0].date.year
    url = reverse("governance:register")
    response = committee_client.get(url, {"annee": str(year)})
    assert len(response.context["opinions"]) == 1
    assert response.context["years"] == [str(year)]
    assert f'href="/comite/registre.csv?annee={year}"' in response.content.decode()
    assert len(committee_client.get(url, {"annee": "1999"}).context["opinions"]) == 0
    response = committee_client.get(reverse("governance:register_csv"), {"annee": "1999"})
    assert len(response.getvalue().decode("utf-8-sig").strip().splitlines()) == 1


def test_register_pdf_keeps_vote_counts_and_running_header_on_one_line(
    committee_client, staff, held_meeting
):
    """Issue 14: the counts wrapped mid-number (« 1 / ⏎ 0 / 0 ») and the header broke."""
    _register_fixture(staff, held_meeting)
    response = committee_client.get(reverse("governance:register_pdf"))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()]
    assert "Collège « acteurs de l'ESS » : 1 / 0 / 0" in lines
    assert "Collège « communes » : 0 / 1 / 1" in lines
    assert "Comité de suivi du plan ESS — registre des avis" in lines
