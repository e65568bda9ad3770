import pytest
from django.urls import reverse

from demo.factories.core import MembershipFactory, OrganisationFactory
from ess_metro.directory.models import Commune, Membership, MembershipRole, Organisation

GOOD = {
    "name": "Les Jardins du Drac",
    "acronym": "JDD",
    "legal_form": "association",
    "siret": "443 061 841 00021",
    "rna": "W381234567",
    "ape_code": "8899b",
    "address": "12 rue des Arts",
    "postcode": "38000",
    "city": "",
    "email": "contact@jardins.example",
    "phone": "",
    "website": "",
    "staff_count": "3",
    "description": "Jardins d'insertion.",
}


def test_communes_of_the_metro_are_loaded(db):
    assert Commune.objects.count() == 49
    assert Commune.objects.get(name="Grenoble").insee_code == "38185"
    assert Commune.objects.get(name="Échirolles").insee_code == "38151"


def test_applicant_registers_an_organisation(applicant_client, applicant):
    data = {**GOOD, "commune": Commune.objects.get(name="Fontaine").pk}
    response = applicant_client.post(reverse("directory:organisation_create"), data)
    organisation = Organisation.objects.get(name="Les Jardins du Drac")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.siret == "44306184100021"
    assert organisation.ape_code == "88.99B"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (applicant, MembershipRole.ADMIN)


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"siret": "44306184100022"}, "Ce numéro SIRET n&#x27;est pas valide"),
        ({"siret": "1234"}, "Un numéro SIRET comporte exactement 14 chiffres"),
        ({"rna": ""}, "Le numéro RNA est obligatoire pour une association."),
        ({"rna": "W12"}, "Un numéro RNA est la lettre W suivie de 9 chiffres"),
        ({"ape_code": "ABCDE"}, "Un code APE s&#x27;écrit avec 4 chiffres et une lettre"),
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"esus_approved": "on"}, "Indiquez la date de l&#x27;agrément ESUS."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
    ],
)
def test_bad_input_gives_french_error_next_to_field_and_keeps_input(
    applicant_client, changes, field_error
):
    response = applicant_client.post(reverse("directory:organisation_create"), {**GOOD, **changes})
    content = response.content.decode()
    assert response.status_code == 200
    assert field_error in content
    assert "invalid-feedback" in content
    assert 'value="12 rue des Arts"' in content  # nothing typed is lost
    assert not Organisation.objects.filter(acronym="JDD").exists()


def test_duplicate_siret_is_refused(applicant_client):
    OrganisationFactory(siret="44306184100021")
    response = applicant_client.post(reverse("directory:organisation_create"), GOOD)
    assert "Une structure avec ce SIRET est déjà enregistrée." in response.content.decode()


def test_member_edits_its_organisation(applicant_client, applicant):
    organisation = applicant.organisations.get()
    url = reverse("directory:organisation_update", args=[organisation.pk])
    data = {**GOOD, "name": "Nouveau nom", "siret": organisation.siret, "rna": organisation.rna}
    response = applicant_client.post(url, data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nouveau nom"


@pytest.mark.parametrize(
    ("role", "detail", "update"),
    [
        ("anonymous", 302, 302),
        ("applicant", 200, 200),
        ("other_applicant", 404, 404),
        ("committee", 404, 404),
        ("staff", 200, 200),
    ],
)
def test_organisation_pages_per_role(role_clients, applicant, role, detail, update):
    organisation = applicant.organisations.get()
    client = role_clients[role]
    assert (
        client.get(reverse("directory:organisation_detail", args=[organisation.pk])).status_code
        == detail
    )
    assert (
        client.get(reverse("directory:organisation_update", args=[organisation.pk])).status_code
        == update
    )


def test_other_applicant_cannot_post_an_edit(other_applicant_client, applicant):
    organisation = applicant.organisations.get()
    url = reverse("directory:organisation_update", args=[organisation.pk])
    response = other_applicant_client.post(url, {**GOOD, "name": "Piraté"})
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name != "Piraté"


@pytest.mark.parametrize(
    ("role", "mine", "create", "staff_list"),
    [
        ("anonymous", 302, 302, 302),
        ("applicant", 200, 200, 403),
        ("other_applicant", 200, 200, 403),
        ("committee", 200, 200, 403),
        ("staff", 200, 200, 200),
    ],
)
def test_organisation_lists_per_role(role_clients, role, mine, create, staff_list):
    client = role_clients[role]
    assert client.get(reverse("directory:organisation_list")).status_code == mine
    assert client.get(reverse("directory:organisation_create")).status_code == create
    assert client.get(reverse("directory:staff_organisation_list")).status_code == staff_list


def test_applicant_list_shows_only_its_organisations(applicant_client, applicant, other_applicant):
    content = applicant_client.get(reverse("directory:organisation_list")).content.decode()
    assert applicant.organisations.get().name in content
    assert other_applicant.organisations.get().name not in content


def test_staff_searches_the_directory(staff_client):
    OrganisationFactory(name="Coopérative des Alpes", siret="73282932000074")
    OrganisationFactory(name="Autre structure")
    url = reverse("directory:staff_organisation_list")
    content = staff_client.get(url, {"q": "Alpes"}).content.decode()
    assert "Coopérative des Alpes" in content and "Autre structure" not in content
    content = staff_client.get(url, {"q": "732 829"}).content.decode()
    assert "Coopérative des Alpes" in content


def test_staff_list_query_count_does_not_grow(staff_client, django_assert_num_queries):
    url = reverse("directory:staff_organisation_list")
    OrganisationFactory()
    staff_client.get(url)  # warm up the session
    with django_assert_num_queries(5) as first:
        staff_client.get(url)
    OrganisationFactory.create_batch(30)
    with django_assert_num_queries(len(first.captured_queries)):
        staff_client.get(url)


def test_registration_returns_to_the_page_that_asked_for_it(applicant_client):
    url = reverse("directory:organisation_create") + "?next=/appels/"
    response = applicant_client.post(url, {**GOOD, "siret": "73282932000074"})
    assert response["Location"] == "/appels/"
    response = applicant_client.post(
        reverse("directory:organisation_create") + "?next=https://evil.example/",
        {**GOOD, "name": "Autre", "siret": ""},
    )
    assert response["Location"].startswith("/espace/organisations/")


def test_staff_read_the_audit_trail_of_the_identifiers(staff_client, applicant_client, applicant):
    organisation = applicant.organisations.get()
    old_siret = organisation.siret
    url = reverse("directory:organisation_update", args=[organisation.pk])
    data = {**GOOD, "siret": "73282932000074", "rna": organisation.rna, "ape_code": "94.99Z"}
    assert applicant_client.post(url, data).status_code == 302
    detail = reverse("directory:organisation_detail", args=[organisation.pk])
    content = staff_client.get(detail).content.decode()
    assert "Modifications des champs sensibles" in content
    assert old_siret in content and "73282932000074" in content
    assert applicant.get_full_name() in content
    # The person who edits sees the record, never the audit trail.
    assert "audit-title" not in applicant_client.get(detail).content.decode()


def test_directory_predicates(applicant, other_applicant, staff, committee_member):
    organisation = applicant.organisations.get()
    member = MembershipFactory(organisation=organisation, role=MembershipRole.MEMBER).user
    assert applicant.has_perm("directory.manage_members", organisation)
    assert staff.has_perm("directory.manage_members", organisation)
    assert not member.has_perm("directory.manage_members", organisation)
    assert not other_applicant.has_perm("directory.manage_members", organisation)
    assert member.has_perm("directory.edit_organisation", organisation)
    assert not committee_member.has_perm("directory.edit_organisation", organisation)
    assert staff.has_perm("directory.see_audit_trail", organisation)
    assert not applicant.has_perm("directory.see_audit_trail", organisation)
    assert staff.has_perm("directory.manage_directory")
    assert not applicant.has_perm("directory.manage_directory")
