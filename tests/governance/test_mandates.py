import datetime
from html import escape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from demo.factories.core import MandateFactory, OrganisationFactory, UserFactory
from demo.factories.governance import college, seat, substitute_of
from ess_metro.accounts import roles
from ess_metro.accounts.models import User
from governance.models import Mandate, MandateKind, SeatCategory

pytestmark = pytest.mark.django_db


def _form(organisation, **changes):
    data = {
        "email": "nouvelle.membre@exemple.fr",
        "first_name": "Léa",
        "last_name": "Garcia",
        "organisation": organisation.pk,
        "college": college("ess-actors").pk,
        "category": SeatCategory.COOPERATIVES,
        "kind": MandateKind.HOLDER,
        "holder": "",
        "start_date": "2026-01-01",
        "end_date": "",
    }
    data.update(changes)
    return data


def test_third_cooperative_holder_is_refused_with_a_clear_message(staff_client):
    MandateFactory(category=SeatCategory.COOPERATIVES)
    MandateFactory(category=SeatCategory.COOPERATIVES)
    organisation = OrganisationFactory(cooperative=True)
    response = staff_client.post(reverse("governance:mandate_create"), _form(organisation))
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "Le Collège « acteurs de l&#x27;ESS » compte déjà 2 titulaire(s) « Coopératives » sur "
        "cette période, le maximum autorisé : mettez d&#x27;abord fin à un mandat."
    ) in content
    assert 'value="nouvelle.membre@exemple.fr"' in content  # nothing typed is lost
    assert Mandate.objects.filter(category=SeatCategory.COOPERATIVES).count() == 2
    assert not User.objects.filter(email="nouvelle.membre@exemple.fr").exists()


def test_an_ended_mandate_frees_the_seat_and_stays_in_the_history(staff_client, client):
    first = MandateFactory(category=SeatCategory.COOPERATIVES)
    MandateFactory(category=SeatCategory.COOPERATIVES)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client.post(
        reverse("governance:mandate_update", args=[first.pk]),
        {
            "organisation": first.organisation_id,
            "college": first.college_id,
            "category": first.category,
            "kind": MandateKind.HOLDER,
            "holder": "",
            "start_date": first.start_date.isoformat(),
            "end_date": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    organisation = OrganisationFactory(cooperative=True)
    response = staff_client.post(
        reverse("governance:mandate_create"),
        _form(organisation, start_date=timezone.localdate().isoformat()),
    )
    assert response.status_code == 302
    assert roles.COMMITTEE not in User.objects.get(pk=first.person_id).roles
    history = client.get(reverse("governance:composition_history")).content.decode()
    assert escape(str(first.person)) in history


def test_category_must_belong_to_its_college(staff_client):
    organisation = OrganisationFactory()
    response = staff_client.post(
        reverse("governance:mandate_create"),
        _form(organisation, college=college("communes").pk, category=SeatCategory.MUTUALS),
    )
    assert (
        "La catégorie « Mutuelles » n&#x27;est pas un siège du Collège « communes »."
        in response.content.decode()
    )


def test_substitute_needs_a_holder_of_the_same_college_and_category(staff_client):
    holder = MandateFactory(category=SeatCategory.MUTUALS)
    organisation = OrganisationFactory()
    url = reverse("governance:mandate_create")
    response = staff_client.post(
        url, _form(organisation, kind=MandateKind.SUBSTITUTE, category=SeatCategory.ASSOCIATIONS)
    )
    assert "Choisissez le titulaire que ce suppléant remplace." in response.content.decode()
    response = staff_client.post(
        url,
        _form(
            organisation,
            kind=MandateKind.SUBSTITUTE,
            category=SeatCategory.ASSOCIATIONS,
            holder=holder.pk,
        ),
    )
    assert (
        "Le suppléant doit siéger dans le même collège et la même catégorie que le titulaire."
        in response.content.decode()
    )
    # A substitute does not take a holder's seat: the quota counts holders only.
    MandateFactory(category=SeatCategory.MUTUALS)
    response = staff_client.post(
        url,
        _form(
            holder.organisation,
            kind=MandateKind.SUBSTITUTE,
            category=SeatCategory.MUTUALS,
            holder=holder.pk,
        ),
    )
    assert response.status_code == 302
    substitute = Mandate.objects.get(kind=MandateKind.SUBSTITUTE)
    assert substitute.holder == holder


def test_end_date_before_start_is_refused(staff_client):
    response = staff_client.post(
        reverse("governance:mandate_create"),
        _form(OrganisationFactory(), start_date="2026-05-01", end_date="2026-04-01"),
    )
    assert "La date de fin ne peut pas précéder la date de début." in response.content.decode()


def test_new_person_gets_an_account_and_an_invitation(staff_client, client):
    organisation = OrganisationFactory(cooperative=True)
    response = staff_client.post(reverse("governance:mandate_create"), _form(organisation))
    assert response.status_code == 302
    person = User.objects.get(email="nouvelle.membre@exemple.fr")
    assert not person.has_usable_password()
    assert roles.COMMITTEE in person.roles
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.membre@exemple.fr"]
    assert message.subject == "Votre accès à l'espace du comité de suivi ESS"
    assert "Coopératives" not in message.subject
    path = message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.content.decode()


def test_new_person_without_names_is_asked_for_them(staff_client):
    response = staff_client.post(
        reverse("governance:mandate_create"),
        _form(OrganisationFactory(), first_name="", last_name=""),
    )
    assert (
        "Cette personne n&#x27;a pas encore de compte : indiquez son prénom et son nom."
        in response.content.decode()
    )


def test_existing_person_is_told_about_the_mandate(staff_client):
    person = UserFactory(email="deja.la@exemple.fr")
    response = staff_client.post(
        reverse("governance:mandate_create"),
        _form(OrganisationFactory(cooperative=True), email="Deja.La@exemple.fr"),
    )
    assert response.status_code == 302
    assert Mandate.objects.get().person == person
    assert mail.outbox[0].subject == "Votre mandat au comité de suivi ESS"


def test_model_clean_rules():
    holder = seat()
    with pytest.raises(ValidationError) as error:
        Mandate(
            person=holder.person,
            college=holder.college,
            category=holder.category,
            kind=MandateKind.SUBSTITUTE,
            holder=holder,
            start_date=holder.start_date,
        ).clean()
    assert "Une personne ne peut pas être sa propre suppléante." in str(error.value)
    other = substitute_of(holder)
    with pytest.raises(ValidationError) as error:
        Mandate(
            person=UserFactory(),
            college=holder.college,
            category=holder.category,
            kind=MandateKind.SUBSTITUTE,
            holder=other,
            start_date=holder.start_date,
        ).clean()
    assert "Un suppléant remplace un titulaire, pas un autre suppléant." in str(error.value)
    with pytest.raises(ValidationError):
        Mandate(
            person=UserFactory(),
            college=holder.college,
            category=holder.category,
            kind=MandateKind.HOLDER,
            holder=holder,
            start_date=holder.start_date,
        ).clean()


def test_quota_only_counts_overlapping_periods():
    MandateFactory(
        category=SeatCategory.COOPERATIVES,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2020, 12, 31),
    )
    MandateFactory(category=SeatCategory.COOPERATIVES)
    MandateFactory(category=SeatCategory.COOPERATIVES)

    def new(start, end=None):
        return Mandate(
            person=UserFactory(),
            organisation=OrganisationFactory(),
            college=college("ess-actors"),
            category=SeatCategory.COOPERATIVES,
            start_date=start,
            end_date=end,
        )

    new(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)).full_clean()  # one overlap
    with pytest.raises(ValidationError):
        new(timezone.localdate()).full_clean()  # two running holders already


def test_public_composition_lists_active_members_by_college(client):
    holder = MandateFactory(category=SeatCategory.MUTUALS)
    substitute = substitute_of(holder)
    ended = MandateFactory(end_date=timezone.localdate() - datetime.timedelta(days=3))
    content = client.get(reverse("governance:composition")).content.decode()
    assert escape(str(holder.person)) in content
    assert escape(str(substitute.person)) in content
    assert escape(str(ended.person)) not in content
    assert "Collège « partenaires publics »" in content


def test_ending_a_holder_ends_its_substitutes(staff_client):
    holder = MandateFactory(category=SeatCategory.MUTUALS)
    substitute = substitute_of(holder)
    end = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client.post(
        reverse("governance:mandate_update", args=[holder.pk]),
        {
            "organisation": holder.organisation_id,
            "college": holder.college_id,
            "category": holder.category,
            "kind": MandateKind.HOLDER,
            "holder": "",
            "start_date": holder.start_date.isoformat(),
            "end_date": end.isoformat(),
        },
    )
    assert response.status_code == 302
    substitute.refresh_from_db()
    assert substitute.end_date == end
    assert not Mandate.objects.active().exists()


def test_composition_csv_export(staff_client):
    import csv
    import io

    holder = MandateFactory(category=SeatCategory.MUTUALS)
    substitute_of(holder)
    ended = MandateFactory(end_date=timezone.localdate() - datetime.timedelta(days=2))
    response = staff_client.get(reverse("governance:mandate_export"))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Collège", "Catégorie", "Titulaire ou suppléant", "Suppléant de"]
    assert len(rows) == 3
    assert [row[2] for row in rows[1:]] == ["Titulaire", "Suppléant"]
    assert rows[2][3] == str(holder.person)
    response = staff_client.get(reverse("governance:mandate_export"), {"etat": "termines"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert [row[6] for row in rows[1:]] == [ended.person.email]
