import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from demo.factories.calls import PDF, ApplicationFactory, add_attachment, application_in
from ess_metro.directory.models import Commune
from projects.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BudgetKind,
    Call,
    ReferenceSequence,
)

S = ApplicationStatus
# Session, user, roles, the file with its call and organisation; then under the file's lock
# (its version and status: the copy loaded is still the saved one): the call's documents, the
# budget, the communes, the attachments, the status change and its log entry, the reference
# (one UPDATE … RETURNING, then the file), the commit, the receipt's task.
SUBMIT_QUERIES = 16
ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]


def form_data(application, **changes):
    """What the edit page posts, from the application's current values."""
    communes = [str(pk) for pk in application.communes.values_list("pk", flat=True)]
    data = {
        "title": application.title,
        "summary": application.summary,
        "social_need": application.social_need,
        "innovation": application.innovation,
        "expected_results": "",
        "partners": application.partners,
        "communes": communes,
        "start_date": application.start_date.isoformat() if application.start_date else "",
        "end_date": application.end_date.isoformat() if application.end_date else "",
        "schedule": "",
        "requested_amount": str(application.requested_amount or ""),
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": "",
    }
    for prefix, kind in (("expense", BudgetKind.EXPENSE), ("income", BudgetKind.INCOME)):
        lines = list(application.budget_lines.filter(kind=kind))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(lines) + 1)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(lines))
        for index, line in enumerate(lines):
            data[f"{prefix}-{index}-label"] = line.label
            data[f"{prefix}-{index}-amount"] = str(line.amount).replace(".", ",")
            if line.secured:
                data[f"{prefix}-{index}-secured"] = "on"
        data[f"{prefix}-{len(lines)}-label"] = ""
        data[f"{prefix}-{len(lines)}-amount"] = ""
    data.update(changes)
    return data


# --- Starting a file -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 200), ("other_applicant", 200), ("committee", 200)],
)
def test_start_page_per_role(role_clients, role, status, call):
    response = role_clients[role].get(reverse("projects:application_start", args=[call.slug]))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_user_without_organisation_is_asked_to_register_one(staff_client, call):
    response = staff_client.get(reverse("projects:application_start", args=[call.slug]))
    assert "Enregistrer une structure" in response.content.decode()


def test_applicant_starts_a_draft(applicant_client, applicant, organisation, call):
    response = applicant_client.post(
        reverse("projects:application_start", args=[call.slug]),
        {"organisation": organisation.pk, "title": "Recyclerie mobile"},
    )
    application = Application.objects.get(title="Recyclerie mobile")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:application_edit", args=[application.pk])
    assert (application.status, application.created_by) == (S.DRAFT, applicant)
    assert application.contact_email == applicant.email


def test_applicant_cannot_start_for_another_organisation(applicant_client, call, other_applicant):
    other = other_applicant.memberships.get().organisation
    response = applicant_client.post(
        reverse("projects:application_start", args=[call.slug]),
        {"organisation": other.pk, "title": "Intrus"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Application.objects.exists()


def test_cannot_start_on_a_closed_call(applicant_client, call):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    assert (
        applicant_client.get(reverse("projects:application_start", args=[call.slug])).status_code
        == 404
    )


# --- Editing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 404),
    ],
)
def test_edit_page_per_role(role_clients, role, status, draft):
    response = role_clients[role].get(reverse("projects:application_edit", args=[draft.pk]))
    assert response.status_code == status


def test_edit_page_shows_sections_budget_and_autosave(applicant_client, draft):
    content = applicant_client.get(
        reverse("projects:application_edit", args=[draft.pk])
    ).content.decode()
    for section in ("Le projet", "Besoin social et innovation", "Partenaires", "Calendrier"):
        assert section in content
    assert 'data-hx-post="' in content and "Dernier enregistrement du brouillon" in content
    assert 'value="Salaires"' in content


def test_draft_is_saved_with_errors_and_nothing_typed_is_lost(applicant_client, draft):
    grenoble = Commune.objects.get(name="Grenoble")
    data = form_data(
        draft,
        summary="Nouveau résumé",
        requested_amount="beaucoup",
        contact_email="pas-une-adresse",
        communes=[str(grenoble.pk)],
        **{"expense-2-label": "Local", "expense-2-amount": "abc"},
    )
    data["expense-TOTAL_FORMS"] = "3"
    response = applicant_client.post(reverse("projects:application_edit", args=[draft.pk]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un nombre." in content
    assert "Saisissez une adresse de courriel valide." in content
    assert 'value="beaucoup"' in content and 'value="pas-une-adresse"' in content
    draft.refresh_from_db()
    assert draft.summary == "Nouveau résumé"
    assert draft.requested_amount == Decimal("10000.00")  # previous valid value kept
    assert list(draft.communes.all()) == [grenoble]
    local = draft.budget_lines.get(label="Local")
    assert local.amount is None  # the label typed is kept even with a wrong amount


def test_a_nul_in_one_budget_label_loses_none_of_the_other_edits(applicant_client, draft):
    data = form_data(
        draft, title="Nouveau titre", **{"expense-2-label": "Lo\x00cal", "expense-2-amount": "5"}
    )
    data["expense-TOTAL_FORMS"] = "3"
    url = reverse("projects:application_edit", args=[draft.pk])
    page = applicant_client.post(url, data).content.decode()
    assert "Le caractère nul n’est pas autorisé." in page
    draft.refresh_from_db()
    assert draft.title == "Nouveau titre"
    assert draft.budget_lines.get(position=2, kind=BudgetKind.EXPENSE).label == "Local"


def test_save_replaces_budget_lines_without_duplicates(applicant_client, draft):
    url = reverse("projects:application_edit", args=[draft.pk])
    data = form_data(draft)
    applicant_client.post(url, data)
    applicant_client.post(url, data, HTTP_HX_REQUEST="true")
    assert draft.budget_lines.filter(kind=BudgetKind.EXPENSE).count() == 2
    assert draft.budget_lines.filter(kind=BudgetKind.INCOME).count() == 1


def test_autosave_returns_the_status_partial(applicant_client, draft):
    before = draft.last_saved_at
    response = applicant_client.post(
        reverse("projects:application_edit", args=[draft.pk]),
        form_data(draft, summary="Autosauvegardé"),
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dernier enregistrement du brouillon" in content and "<html" not in content
    draft.refresh_from_db()
    assert draft.summary == "Autosauvegardé" and draft.last_saved_at > before


# --- Attachments -----------------------------------------------------------------------------


def test_upload_attachment_to_private_storage(applicant_client, draft):
    document = draft.call.required_documents.get(title="RIB")
    response = applicant_client.post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"required_document": document.pk, "file": SimpleUploadedFile("rib.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(required_document=document)
    assert attachment.content_type == "application/pdf"
    assert getattr(attachment.file.storage, "base_url", None) is None or (
        "media" not in attachment.file.name
    )
    assert attachment.file.storage is not None
    from django.core.files.storage import storages

    assert attachment.file.storage.location == storages["private"].location


def test_upload_refuses_a_file_whose_content_is_not_allowed(applicant_client, draft):
    document = draft.call.required_documents.first()
    response = applicant_client.post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"required_document": document.pk, "file": SimpleUploadedFile("x.pdf", b"MZ\x90 exe")},
        follow=True,
    )
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert draft.attachments.count() == 2


def test_upload_refuses_a_too_large_file(applicant_client, draft, settings):
    settings.MAX_UPLOAD_SIZE = 20
    document = draft.call.required_documents.first()
    response = applicant_client.post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"required_document": document.pk, "file": SimpleUploadedFile("gros.pdf", PDF)},
        follow=True,
    )
    assert "trop volumineux" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_attachment_download_per_role(role_clients, role, status, draft):
    attachment = draft.attachments.first()
    response = role_clients[role].get(attachment.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        response.close()  # a file download holds its file open


def test_attachment_of_another_file_is_404_even_with_own_file_id(applicant_client, draft, call):
    other = ApplicationFactory(call=call, complete=True)
    foreign = other.attachments.first()
    url = reverse("projects:attachment_download", args=[draft.pk, foreign.pk])
    assert applicant_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 404),
    ],
)
def test_attachment_delete_per_role(role_clients, role, status, draft):
    attachment = draft.attachments.first()
    url = reverse("projects:attachment_delete", args=[draft.pk, attachment.pk])
    assert role_clients[role].post(url).status_code == status
    assert Attachment.objects.filter(pk=attachment.pk).exists() == (role != "applicant")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 404),
    ],
)
def test_attachment_upload_per_role(role_clients, role, status, draft):
    document = draft.call.required_documents.first()
    response = role_clients[role].post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"required_document": document.pk, "file": SimpleUploadedFile("s.pdf", PDF)},
    )
    assert response.status_code == status


# --- Submission ------------------------------------------------------------------------------


def submit(client, application, **changes):
    return client.post(
        reverse("projects:application_edit", args=[application.pk]),
        {**form_data(application, **changes), "submit": "1"},
    )


def test_submission_gives_reference_receipt_and_email(applicant_client, draft):
    response = submit(applicant_client, draft)
    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == S.SUBMITTED
    assert draft.reference == "AAP-2026-0001"
    assert "Dossier AAP-2026-0001 reçu" in mail.outbox[-1].subject
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "AAP-2026-0001" in page and "Télécharger le récépissé (PDF)" in page
    receipt = applicant_client.get(reverse("projects:application_receipt", args=[draft.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    receipt.close()


def test_a_request_that_arrived_before_closing_is_accepted_when_processed_after(
    applicant_client, draft, monkeypatch
):
    """The call closes while the request is being processed (after its arrival stamp)."""
    from projects.calls import services

    save_draft = services.application_save_draft

    def save_then_close(**kwargs):
        errors = save_draft(**kwargs)
        Call.objects.filter(pk=draft.call_id).update(closes_at=timezone.now())
        return errors

    monkeypatch.setattr(services, "application_save_draft", save_then_close)
    response = submit(applicant_client, draft, summary="Changed in the last second.")
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == S.SUBMITTED and draft.reference == "AAP-2026-0001"
    assert draft.summary == "Changed in the last second."
    assert draft.submitted_at < Call.objects.get(pk=draft.call_id).closes_at


def test_a_call_closed_by_hand_after_the_request_arrived_still_takes_it(
    applicant_client, draft, staff, monkeypatch
):
    from projects.calls import services

    save_draft = services.application_save_draft

    def save_then_close_by_hand(**kwargs):
        errors = save_draft(**kwargs)
        services.call_close(call=Call.objects.get(pk=draft.call_id), user=staff)
        return errors

    monkeypatch.setattr(services, "application_save_draft", save_then_close_by_hand)
    response = submit(applicant_client, draft, summary="Sent before the call was closed.")
    draft.refresh_from_db()
    call = Call.objects.get(pk=draft.call_id)
    assert response.status_code == 302
    assert draft.status == S.SUBMITTED and draft.submitted_at < call.closed_at


def test_a_request_that_arrived_after_a_closing_by_hand_is_refused(applicant_client, draft, staff):
    from projects.calls import services

    services.call_close(call=draft.call, user=staff)
    response = submit(applicant_client, draft)
    draft.refresh_from_db()
    assert response.status_code == 422
    assert "Dossier non déposé : l'appel est clos" in response.content.decode()
    assert draft.status == S.DRAFT and draft.reference is None


def test_a_request_that_arrived_after_closing_gets_a_short_page_and_keeps_the_draft(
    applicant_client, draft
):
    closes_at = timezone.now() - datetime.timedelta(milliseconds=1)
    Call.objects.filter(pk=draft.call_id).update(closes_at=closes_at)
    response = submit(applicant_client, draft, summary="Typed at the last moment.")
    draft.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 422
    assert "<h1>Dossier non déposé : l'appel est clos</h1>" in page
    local = timezone.localtime(closes_at)
    closed = f"{local:%H:%M:%S},{local.microsecond // 1000:03d}"  # to the millisecond
    assert f"l'appel a été clôturé le {local.day} " in page and f"à {closed} :" in page
    assert "Rien de ce que vous avez saisi n'est perdu" in page
    assert draft.get_absolute_url() in page
    assert 'name="summary"' not in page  # not the whole edit page again
    assert draft.status == S.DRAFT and draft.reference is None
    assert draft.summary == "Typed at the last moment."


def test_a_submit_from_an_older_tab_submits_nothing_it_did_not_show(applicant_client, draft):
    """The page was loaded at version N; another tab saved since: the unchanged submit of the
    older tab is refused with what changed, instead of submitting text it never showed."""
    loaded = draft.lock_version
    Application.objects.filter(pk=draft.pk).update(summary="Saved by the other tab.")
    draft.summary = "Saved by the other tab."
    draft.save()
    data = {**form_data(draft), "lock_version": str(loaded), "submit": "1"}
    response = applicant_client.post(reverse("projects:application_edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert response.status_code == 409
    assert draft.status == S.DRAFT and draft.reference is None


def autosaved(client, application, data) -> dict:
    """The edit page's autosave (an htmx POST of the whole form); the data with the version
    it made, as the page holds them afterwards."""
    url = reverse("projects:application_edit", args=[application.pk])
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    application.refresh_from_db()
    return {**data, "lock_version": str(application.lock_version)}


def test_a_submit_in_the_last_second_writes_only_the_submission(
    applicant_client, draft, django_assert_num_queries, settings
):
    """The autosave stored the draft; the "submit" then carries the same data at the version
    the autosave made: no form is built and nothing is written but the submission. Its queries
    are pinned (the deadline rush is made of these requests, tools/rush.py). As in production,
    the receipt is a task queued for the worker, and the year already has files."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ReferenceSequence.objects.create(year=draft.call.year, last_number=41)
    data = autosaved(applicant_client, draft, form_data(draft, summary="Typed at 11:59."))
    assert draft.summary == "Typed at 11:59." and draft.draft_fingerprint
    url = reverse("projects:application_edit", args=[draft.pk])
    with django_assert_num_queries(SUBMIT_QUERIES):
        response = applicant_client.post(url, {**data, "submit": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.reference == "AAP-2026-0042"
    assert draft.summary == "Typed at 11:59."


def test_a_submit_of_unchanged_data_without_autosave_saves_nothing(
    applicant_client, draft, django_assert_num_queries, settings
):
    """A page loaded and submitted as it is (no autosave, so no fingerprint): the forms tell
    that nothing changed, and only the submission is written."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ReferenceSequence.objects.create(year=draft.call.year, last_number=41)
    assert draft.draft_fingerprint == ""
    data = {**form_data(draft), "lock_version": str(draft.lock_version), "submit": "1"}
    url = reverse("projects:application_edit", args=[draft.pk])
    # The forms read the partners, the communes and the two budgets.
    with django_assert_num_queries(SUBMIT_QUERIES + 4):
        response = applicant_client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.draft_fingerprint == ""


def test_an_autosaved_draft_that_is_incomplete_gets_its_problems_next_to_the_fields(
    applicant_client, draft
):
    """The quick path (nothing to save) still answers an incomplete file with the whole page,
    each problem beside its field and what was typed kept."""
    data = autosaved(applicant_client, draft, form_data(draft, summary=""))
    url = reverse("projects:application_edit", args=[draft.pk])
    response = applicant_client.post(url, {**data, "submit": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ce champ est obligatoire pour déposer le dossier." in page
    assert re.search(rf'<input[^>]*name="title"[^>]*value="{re.escape(draft.title)}"', page)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.reference is None


def test_a_change_typed_after_the_autosave_is_saved_with_the_submission(applicant_client, draft):
    data = autosaved(applicant_client, draft, form_data(draft))
    fingerprint = draft.draft_fingerprint
    data = {**data, "summary": "Typed after the autosave.", "submit": "1"}
    response = applicant_client.post(reverse("projects:application_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.summary == "Typed after the autosave."
    assert draft.draft_fingerprint not in ("", fingerprint)


def test_the_fingerprint_reads_the_fields_as_a_browser_posts_them():
    """An empty multiple choice is not posted by a browser; the token, the version and the
    button are not the draft's data."""
    from django.http import QueryDict

    from projects.calls.forms import draft_fingerprint

    posted = QueryDict("title=Titre&communes=3&communes=5&expense-0-label=Local")
    assert draft_fingerprint(posted) == draft_fingerprint(
        {"title": "Titre", "communes": ["3", "5"], "partner_organisations": [],
         "expense-0-label": "Local", "csrfmiddlewaretoken": "x", "lock_version": "4",
         "submit": "1"}
    )  # fmt: skip
    assert draft_fingerprint(posted) != draft_fingerprint(QueryDict("title=Titre&communes=3"))


def test_a_draft_saved_with_errors_has_no_fingerprint(applicant_client, draft):
    """Only a save that stored every field vouches for the data it was given."""
    autosaved(applicant_client, draft, form_data(draft))
    assert draft.draft_fingerprint.startswith(f"{draft.lock_version}:")
    autosaved(applicant_client, draft, form_data(draft, start_date="31/02/2026"))
    assert draft.draft_fingerprint == ""


def test_the_fingerprint_of_another_version_is_not_trusted(applicant_client, draft):
    """The same data posted with the version of an older page: the draft changed in between
    (another tab), so nothing is submitted unseen."""
    data = autosaved(applicant_client, draft, form_data(draft))
    older = {**data, "lock_version": str(draft.lock_version - 1), "submit": "1"}
    response = applicant_client.post(reverse("projects:application_edit", args=[draft.pk]), older)
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_reference_is_shown_at_once_and_the_receipt_when_the_worker_made_it(
    applicant_client, draft, settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = submit(applicant_client, draft)
    page = applicant_client.get(response["Location"]).content.decode()
    assert "AAP-2026-0001" in page
    assert "Votre récépissé (PDF) est en cours de préparation" in page
    assert "Télécharger le récépissé" not in page and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # the worker's commits
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)  # the e-mail
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Télécharger le récépissé (PDF)" in page and "en cours de préparation" not in page
    assert mail.outbox[-1].subject == "Dossier AAP-2026-0001 reçu"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requested_amount": "16000"}, "est au-dessus du plafond de l&#x27;appel"),
        ({"summary": ""}, "Ce champ est obligatoire pour déposer le dossier."),
        ({"communes": []}, "Le projet doit toucher au moins 2 communes"),
        ({"income-0-amount": "1000"}, "Le budget n&#x27;est pas équilibré"),
    ],
)
def test_submission_explains_each_problem_in_french(applicant_client, draft, changes, message):
    response = submit(applicant_client, draft, **changes)
    assert response.status_code == 422
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submission_refuses_a_share_above_the_call_limit(applicant_client, draft):
    # expenses 25 000; asking 14 000 with co-financing 11 000 is balanced but 56 % > 50 %.
    response = submit(
        applicant_client, draft, requested_amount="14000", **{"income-0-amount": "11000"}
    )
    assert "représente 56,00" in response.content.decode()


def test_submission_requires_the_mandatory_documents(applicant_client, draft):
    draft.attachments.filter(required_document__title="Statuts").delete()
    response = submit(applicant_client, draft)
    assert "La pièce « Statuts » manque." in response.content.decode()


def test_submission_one_second_after_closing_is_refused(applicant_client, draft):
    call = draft.call
    call.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    call.save()
    response = submit(applicant_client, draft)
    assert response.status_code == 422
    assert "Dossier non déposé : l'appel est clos" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


# --- Follow-up -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_detail_per_role(role_clients, role, status, draft):
    assert role_clients[role].get(draft.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_receipt_per_role(
    role_clients, role, status, draft, applicant, django_capture_on_commit_callbacks
):
    from projects.calls import services as calls_services

    with django_capture_on_commit_callbacks(execute=True):
        calls_services.application_submit(application=draft, user=applicant)
    response = role_clients[role].get(reverse("projects:application_receipt", args=[draft.pk]))
    assert response.status_code == status
    response.close()  # a file download holds its file open


def test_after_submission_the_file_page_and_receipt_show_everything_sent(
    applicant_client, draft, applicant, django_capture_on_commit_callbacks
):
    from projects.calls import services as calls_services

    draft.social_need = "Isolement des aînés du quartier"
    draft.innovation = "Binômes intergénérationnels"
    draft.expected_results = "40 binômes formés, indicateur de lien social"
    draft.schedule = "Lancement en mars"
    draft.contact_name = "Camille Martin"
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):  # the receipt's task
        calls_services.application_submit(application=draft, user=applicant)
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    for text in (
        "Besoin social",
        "Isolement des aînés du quartier",
        "Binômes intergénérationnels",
        "Résultats attendus et indicateurs",
        "40 binômes formés",
        "Lancement en mars",
        "Camille Martin",
    ):
        assert text in page, text
    response = applicant_client.get(reverse("projects:application_receipt", args=[draft.pk]))
    content = b"".join(response.streaming_content)
    response.close()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Résultats attendus et indicateurs" in text
    assert "40 binômes formés" in text


def test_an_old_edit_link_of_a_submitted_file_leads_to_the_file_with_a_message(
    role_clients, draft, applicant
):
    from projects.calls import services as calls_services

    calls_services.application_submit(application=draft, user=applicant)
    url = reverse("projects:application_edit", args=[draft.pk])
    response = role_clients["applicant"].get(url, follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "Ce dossier ne peut plus être modifié (déposé)" in response.content.decode()
    for role, status in (("other_applicant", 404), ("committee", 404), ("staff", 404)):
        assert role_clients[role].get(url).status_code == status, role


@pytest.mark.parametrize(
    "role", ["anonymous", "applicant", "other_applicant", "committee", "staff"]
)
def test_the_applicant_file_list_per_role(role_clients, role, draft, applicant):
    withdrawn = ApplicationFactory(
        call=draft.call,
        organisation=draft.organisation,
        title="Projet retiré",
        status=S.WITHDRAWN,
    )
    response = role_clients[role].get(reverse("projects:application_list"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    content = response.content.decode()
    mine = role == "applicant"
    assert (draft.get_absolute_url() in content) is mine
    assert (withdrawn.get_absolute_url() in content) is mine


def test_the_applicant_file_list_does_not_grow_with_files(
    applicant_client, draft, django_assert_num_queries
):
    url = reverse("projects:application_list")
    applicant_client.get(url)
    with django_assert_num_queries(QUERIES_FILE_LIST):
        applicant_client.get(url)
    for index in range(5):
        ApplicationFactory(call=draft.call, organisation=draft.organisation, title=f"P{index}")
    with django_assert_num_queries(QUERIES_FILE_LIST):
        assert applicant_client.get(url).content.decode().count("/espace/dossiers/") >= 6


QUERIES_FILE_LIST = 5


def test_receipt_of_a_draft_is_404(applicant_client, draft):
    url = reverse("projects:application_receipt", args=[draft.pk])
    assert applicant_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 302),
    ],
)
def test_message_per_role(role_clients, role, status, draft):
    url = reverse("projects:application_message", args=[draft.pk])
    assert role_clients[role].post(url, {"body": "Bonjour"}).status_code == status


def test_applicant_message_reaches_staff(applicant_client, draft, staff, settings):
    settings.STAFF_NOTIFICATION_EMAIL = ""
    applicant_client.post(
        reverse("projects:application_message", args=[draft.pk]), {"body": "Une question"}
    )
    message = draft.messages.get()
    assert not message.from_staff
    assert mail.outbox[-1].to == [staff.email]
    page = applicant_client.get(draft.get_absolute_url()).content.decode()
    assert "Une question" in page
    settings.STAFF_NOTIFICATION_EMAIL = "ess@exemple.fr"
    applicant_client.post(
        reverse("projects:application_message", args=[draft.pk]), {"body": "Une autre"}
    )
    assert mail.outbox[-1].to == ["ess@exemple.fr"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 404),
    ],
)
def test_withdraw_per_role(role_clients, role, status, draft):
    url = reverse("projects:application_withdraw", args=[draft.pk])
    assert role_clients[role].post(url).status_code == status
    draft.refresh_from_db()
    assert (draft.status == S.WITHDRAWN) == (role == "applicant")


def test_space_lists_files_with_status_and_what_is_expected(applicant_client, draft, call):
    requested = application_in(S.DOCUMENTS_REQUESTED, call=call, organisation=draft.organisation)
    content = applicant_client.get(reverse("projects:space_home")).content.decode()
    assert draft.title in content and requested.title in content
    assert "Complétez votre dossier et déposez-le" in content
    assert "Les services demandent des pièces ou des corrections" in content


def test_space_query_count_does_not_grow(applicant_client, draft):
    url = reverse("projects:space_home")
    assert applicant_client.get(url).status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        applicant_client.get(url)
    for _ in range(20):
        application_in(S.SUBMITTED, call=draft.call, organisation=draft.organisation)
    with CaptureQueriesContext(connection) as many:
        applicant_client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_attachment_helper_used_by_demo(draft):
    document = draft.call.required_documents.get(title="RIB")
    attachment = add_attachment(draft, document)
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize("typed", ["16 800,50", "16\u202f800,50 €", "16800.50", "16\u00a0800,5"])
def test_amounts_typed_the_french_way_are_understood(applicant_client, draft, typed):
    url = reverse("projects:application_edit", args=[draft.pk])
    applicant_client.post(url, form_data(draft, requested_amount=typed))
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("16800.50")


def test_posting_back_the_page_as_rendered_changes_nothing(applicant_client, draft):
    """Amounts are shown the French way (16 800,00) and read back the same."""
    import html
    import re

    url = reverse("projects:application_edit", args=[draft.pk])
    page = applicant_client.get(url).content.decode()
    data = form_data(draft)
    for name in ("expense-0-amount", "expense-1-amount", "income-0-amount", "requested_amount"):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        data[name] = html.unescape(match.group(1))
    assert data["expense-0-amount"] == "20000,00"
    applicant_client.post(url, data)
    amounts = sorted(draft.budget_lines.values_list("amount", flat=True))
    assert amounts == [Decimal("5000.00"), Decimal("15000.00"), Decimal("20000.00")]
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("10000.00")


def test_a_submitted_file_can_no_longer_be_edited(applicant_client, draft, applicant):
    from projects.calls import services as calls_services

    calls_services.application_submit(application=draft, user=applicant)
    url = reverse("projects:application_edit", args=[draft.pk])
    assert applicant_client.get(url).status_code == 302  # to the file, with a message
    assert applicant_client.post(url, form_data(draft, summary="Trop tard")).status_code == 302
    draft.refresh_from_db()
    assert draft.summary != "Trop tard"


# --- Two tabs: optimistic concurrency on the draft --------------------------------------------


def autosave(client, application, **changes):
    url = reverse("projects:application_edit", args=[application.pk])
    return client.post(url, form_data(application, **changes), headers={"HX-Request": "true"})


def test_two_tabs_the_later_autosave_of_the_older_tab_loses_nothing(applicant_client, draft):
    url = reverse("projects:application_edit", args=[draft.pk])
    page = applicant_client.get(url).content.decode()
    assert 'name="lock_version" value="1"' in page  # both tabs loaded version 1
    tab_a = autosave(applicant_client, draft, title="Titre de l'onglet A", lock_version="1")
    assert (
        'id="id_lock_version"' in tab_a.content.decode() and 'value="2"' in tab_a.content.decode()
    )
    tab_b = autosave(applicant_client, draft, summary="Résumé de l'onglet B", lock_version="1")
    status = tab_b.content.decode()
    assert tab_b.status_code == 200
    assert "Non enregistré" in status and "Titre de l&#x27;onglet A" in status
    draft.refresh_from_db()
    assert draft.title == "Titre de l'onglet A"  # the title did not revert
    assert draft.summary == "Une recyclerie solidaire itinérante."  # nothing of tab B saved
    assert draft.lock_version == 2


def test_a_stale_save_keeps_what_was_typed_and_shows_what_changed(applicant_client, draft):
    autosave(applicant_client, draft, title="Titre de l'onglet A", lock_version="1")
    url = reverse("projects:application_edit", args=[draft.pk])
    response = applicant_client.post(
        url, {**form_data(draft, summary="Résumé de l'onglet B"), "lock_version": "1", "save": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "modifié ailleurs" in page
    assert "Résumé de l&#x27;onglet B" in page  # what tab B typed is kept
    assert "Enregistré entre-temps : « Titre de l&#x27;onglet A »" in page
    assert 'name="lock_version" value="2"' in page  # saving again replaces on purpose
    response = applicant_client.post(
        url, {**form_data(draft, summary="Résumé de l'onglet B"), "lock_version": "2", "save": "1"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Résumé de l'onglet B" and draft.lock_version == 3


def test_versions_go_up_at_every_save_even_from_a_stale_object(draft):
    other_copy = Application.objects.get(pk=draft.pk)
    draft.title = "Premier"
    draft.save()
    other_copy.summary = "Second"
    other_copy.save(update_fields=["summary"])
    assert Application.objects.get(pk=draft.pk).lock_version == 3
    assert other_copy.lock_version == 3  # read again from the database


def test_a_save_that_changes_nothing_writes_nothing(applicant_client, draft):
    """The last-second "submit" of a draft autosave already stored takes no write before the
    reference: only the submission's own writes."""
    before = Application.objects.get(pk=draft.pk)
    url = reverse("projects:application_edit", args=[draft.pk])
    response = applicant_client.post(url, {**form_data(draft), "lock_version": "1", "save": "1"})
    assert response.status_code == 302
    after = Application.objects.get(pk=draft.pk)
    assert (after.last_saved_at, after.lock_version) == (before.last_saved_at, 1)


def test_start_form_chooses_the_applicants_only_organisation(applicant_client, organisation, call):
    content = applicant_client.get(
        reverse("projects:application_start", args=[call.slug])
    ).content.decode()
    assert f'<option value="{organisation.pk}" selected>' in content
    assert "---------" not in content


def test_the_documents_table_wraps_long_file_names_on_a_phone(applicant_client, draft):
    """At 375 px the table was 489 px wide: names now wrap, the table keeps the page width."""
    from pathlib import Path

    from django.conf import settings

    page = applicant_client.get(
        reverse("projects:application_edit", args=[draft.pk])
    ).content.decode()
    assert 'class="table align-middle documents-table"' in page
    assert 'class="d-flex flex-wrap column-gap-2 align-items-center"' in page
    assert '<a class="text-break"' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    rules_text = css.split(".documents-table {", 1)[1].split("}", 1)[0]
    assert "table-layout: fixed" in rules_text
