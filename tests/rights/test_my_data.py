"""« Mes données »: a ZIP built in the background holds every object of the person."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.test import Client

from demo.factories.calls import PDF, add_attachment, application_in
from demo.factories.communication import EventFactory
from demo.factories.core import MandateFactory, make_applicant
from ess_metro.accounts.models import User
from ess_metro.privacy.models import DataExport, DataExportStatus
from governance.models import CalendarToken
from projects.calls.models import ApplicationMessage, ApplicationStatus, ApplicationTransition

from .conftest import EMAIL


def _objects_of(person):
    """One object of the person in each app, keyed by model label."""
    organisation = person.organisations.get()
    application = application_in(
        ApplicationStatus.SUBMITTED, organisation=organisation, created_by=person
    )
    document = application.call.required_documents.first()
    attachment = add_attachment(application, document, content=PDF + b"mine", name="statuts.pdf")
    return {
        "directory.Membership": person.memberships.get(),
        "projects.Application": application,
        "projects.Attachment": attachment,
        "projects.ApplicationMessage": ApplicationMessage.objects.create(
            application=application, author=person, body="Voici nos statuts."
        ),
        "projects.ApplicationTransition": ApplicationTransition.objects.create(
            application=application, from_status="draft", to_status="submitted", user=person
        ),
        "governance.Mandate": MandateFactory(person=person, organisation=organisation),
        "governance.CalendarToken": CalendarToken.objects.create(user=person, token="s3cr3t"),
        "communication.Event": EventFactory(proposed=True, proposed_by=person),
    }


def _every_row_pointing_to(person) -> set[tuple[str, int]]:
    """Every row of every table (history and link tables included) with a foreign key to the
    person's account, found here without the code under test."""
    rows = set()
    for model in apps.get_models(include_auto_created=True):
        if model is User or model is DataExport:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                pks = model._base_manager.filter(**{field.name: person}).values_list(
                    "pk", flat=True
                )
                rows |= {(model._meta.label, pk) for pk in pks}
    assert len(rows) >= 10
    return rows


def _archive(client) -> zipfile.ZipFile:
    export = DataExport.objects.get()
    response = client.get(f"/compte/mes-donnees/{export.pk}/telecharger/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    response.close()
    return zipfile.ZipFile(io.BytesIO(content))


@pytest.mark.django_db
def test_the_archive_holds_every_object_of_the_person_and_their_files(person):
    objects = _objects_of(person)
    stranger = make_applicant()
    application_in(ApplicationStatus.SUBMITTED, created_by=stranger)
    client = Client()
    client.force_login(person)

    response = client.post("/compte/mes-donnees/preparer/", follow=True)

    assert response.status_code == 200
    export = DataExport.objects.get(user=person)
    assert export.status == DataExportStatus.READY
    assert export.is_ready and export.size > 0
    assert "Télécharger mon archive (ZIP)" in response.content.decode()
    archive = _archive(client)
    document = json.loads(archive.read("mes-donnees.json"))
    assert document["account"][0]["fields"]["email"] == EMAIL
    assert document["account"][0]["fields"]["password"] == "***"
    held = {
        (label, record["pk"]) for label, records in document["data"].items() for record in records
    }
    assert {(label, obj.pk) for label, obj in objects.items()} <= held
    assert _every_row_pointing_to(person) <= held
    assert all(label != "accounts.User" for label, _pk in held)
    assert not any(pk == stranger.pk for label, pk in held if label == "directory.Membership")
    token = document["data"]["governance.CalendarToken"][0]["fields"]["token"]
    assert token == "***"
    paths = {entry["path"] for entry in document["files"]}
    attachment = objects["projects.Attachment"]
    path = next(p for p in paths if p.startswith(f"fichiers/projects.Attachment/{attachment.pk}-"))
    assert archive.read(path) == PDF + b"mine"


@pytest.mark.django_db
def test_a_new_archive_replaces_the_previous_one_and_its_file(person, client):
    client.force_login(person)
    client.post("/compte/mes-donnees/preparer/")
    first = DataExport.objects.get()
    storage, name = first.file.storage, first.file.name
    assert storage.exists(name)
    client.post("/compte/mes-donnees/preparer/")
    assert DataExport.objects.get().pk != first.pk
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 404),
    ],
)
def test_only_the_person_downloads_their_archive(role_clients, applicant, role, expected):
    role_clients["applicant"].post("/compte/mes-donnees/preparer/")
    export = DataExport.objects.get(user=applicant)
    response = role_clients[role].get(f"/compte/mes-donnees/{export.pk}/telecharger/")
    assert response.status_code == expected
    if expected == 200:
        assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    response.close()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 200),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_every_role_reaches_its_own_my_data_page(role_clients, role, expected):
    response = role_clients[role].get("/compte/mes-donnees/")
    assert response.status_code == expected
    if expected == 200:
        assert "Vous n'avez pas encore demandé d'archive." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("other_applicant", 302),
        ("committee", 302),
        ("staff", 302),
    ],
)
def test_asking_for_an_archive_needs_a_post_and_an_account(role_clients, role, expected):
    assert role_clients[role].get("/compte/mes-donnees/preparer/").status_code in {302, 405}
    response = role_clients[role].post("/compte/mes-donnees/preparer/")
    assert response.status_code == expected
    signed_in = role != "anonymous"
    assert DataExport.objects.exists() == signed_in
    if not signed_in:
        assert response["Location"].startswith("/compte/connexion/")


@pytest.mark.django_db
def test_the_page_shows_an_archive_being_prepared_or_failed(person, client):
    from django.utils import timezone

    client.force_login(person)
    export = DataExport.objects.create(user=person)
    html = client.get("/compte/mes-donnees/").content.decode()
    assert "En préparation" in html
    assert "/telecharger/" not in html
    assert client.get(f"/compte/mes-donnees/{export.pk}/telecharger/").status_code == 404
    DataExport.objects.filter(pk=export.pk).update(failed=True, finished_at=timezone.now())
    html = client.get("/compte/mes-donnees/").content.decode()
    assert "L'archive n'a pas pu être préparée." in html
    # A new request while one is being prepared does not queue a second one.
    DataExport.objects.filter(pk=export.pk).update(failed=False, finished_at=None)
    client.post("/compte/mes-donnees/preparer/")
    assert list(DataExport.objects.values_list("pk", flat=True)) == [export.pk]
