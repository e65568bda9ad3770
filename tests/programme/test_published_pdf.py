"""The published programme's PDF is rendered once, in the background, and served from storage."""

import time
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from demo.factories.programme import IndicatorFactory, LineFactory, ProgrammeFactory
from programme import services
from programme.models import AnnualProgramme, Indicator, ProgrammeStatus

from .conftest import pdf_text


@pytest.fixture
def adopted(db):
    programme = ProgrammeFactory(year=2025, adopted=True)
    line = LineFactory(programme=programme, title="Ligne imprimée", planned_amount=Decimal("900"))
    IndicatorFactory(line=line, label="Structures accompagnées", target=Decimal("10"))
    return programme


def _move(programme, to_status, staff, capture):
    with capture(execute=True):
        return services.programme_transition(programme=programme, to_status=to_status, user=staff)


def _body(response) -> bytes:
    return response.getvalue()


def test_publishing_renders_the_pdf_once_and_the_url_serves_it(
    adopted, staff, anonymous_client, django_capture_on_commit_callbacks, capsys
):
    assert not adopted.published_pdf
    _move(adopted, ProgrammeStatus.PUBLISHED, staff, django_capture_on_commit_callbacks)
    adopted.refresh_from_db()
    assert adopted.published_pdf and adopted.published_pdf_at
    with adopted.published_pdf.open("rb") as handle:
        stored = handle.read()
    assert "Publiée" in pdf_text(stored)[0]
    url = reverse("programme:programme_pdf", args=[2025])
    _body(anonymous_client.get(url))
    started = time.perf_counter()
    response = anonymous_client.get(url)
    body = _body(response)
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="programmation-ess-2025.pdf"'
    assert not response.templates  # no HTML rendered: the stored file as it is
    assert body == stored
    assert seconds < 2  # about 10 ms on an idle machine; generous bound for a loaded one
    with capsys.disabled():
        print(f"\nStored programme PDF served in {seconds * 1000:.1f} ms")


def test_evaluation_and_new_results_render_it_again(
    adopted, staff, anonymous_client, django_capture_on_commit_callbacks
):
    _move(adopted, ProgrammeStatus.PUBLISHED, staff, django_capture_on_commit_callbacks)
    adopted.refresh_from_db()
    first = adopted.published_pdf.name
    # Evaluating needs the conclusions and every indicator's result (issue 14).
    AnnualProgramme.objects.filter(pk=adopted.pk).update(evaluation_summary="Objectifs atteints.")
    Indicator.objects.filter(line__programme=adopted).update(actual=Decimal("12"))
    adopted.refresh_from_db()
    _move(adopted, ProgrammeStatus.EVALUATED, staff, django_capture_on_commit_callbacks)
    adopted.refresh_from_db()
    body = _body(anonymous_client.get(reverse("programme:programme_pdf", args=[2025])))
    assert "Évaluée" in pdf_text(body)[0]
    assert not adopted.published_pdf.storage.exists(first) or adopted.published_pdf.name == first


def test_indicator_results_render_it_again(
    adopted, staff, anonymous_client, django_capture_on_commit_callbacks
):
    from programme.forms import IndicatorResultForm

    _move(adopted, ProgrammeStatus.PUBLISHED, staff, django_capture_on_commit_callbacks)
    indicator = AnnualProgramme.objects.get(pk=adopted.pk).lines.get().indicators.get()
    form = IndicatorResultForm({"actual": "37", "comment": ""}, instance=indicator)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_save(form=form, line=indicator.line, user=staff)
    body = _body(anonymous_client.get(reverse("programme:programme_pdf", args=[2025])))
    assert "370 %" in " ".join(pdf_text(body))


def test_a_draft_is_rendered_on_the_fly_and_never_stored(draft, staff, staff_client):
    LineFactory(programme=draft)
    response = staff_client.get(reverse("programme:programme_pdf", args=[2026]))
    assert response.status_code == 200
    assert response.templates  # rendered now
    assert "BROUILLON" in pdf_text(response.content)[0]
    draft.refresh_from_db()
    assert not draft.published_pdf


def test_another_language_is_rendered_on_the_fly(
    adopted, staff, anonymous_client, django_capture_on_commit_callbacks
):
    _move(adopted, ProgrammeStatus.PUBLISHED, staff, django_capture_on_commit_callbacks)
    anonymous_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = anonymous_client.get(reverse("programme:programme_pdf", args=[2025]))
    assert response.templates
    assert "Published" in pdf_text(response.content)[0]


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("anonymous", 200),
        ("applicant", 200),
        ("other_applicant", 200),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_the_stored_pdf_per_role(
    role, status_code, adopted, staff, role_clients, django_capture_on_commit_callbacks
):
    _move(adopted, ProgrammeStatus.PUBLISHED, staff, django_capture_on_commit_callbacks)
    response = role_clients[role].get(reverse("programme:programme_pdf", args=[2025]))
    assert response.status_code == status_code
    assert not response.templates
    assert _body(response).startswith(b"%PDF")


def test_a_submitted_programme_has_no_stored_pdf_and_stays_hidden(adopted, staff, anonymous_client):
    submitted = ProgrammeFactory(year=2027, status=ProgrammeStatus.SUBMITTED)
    call_command("refresh_programme_pdfs", stdout=StringIO())
    submitted.refresh_from_db()
    assert not submitted.published_pdf
    assert anonymous_client.get(reverse("programme:programme_pdf", args=[2027])).status_code == 404


def test_the_nightly_command_renders_every_public_programme(db):
    published = ProgrammeFactory(year=2024, published=True)
    out = StringIO()
    call_command("refresh_programme_pdfs", stdout=out)
    published.refresh_from_db()
    assert published.published_pdf
    assert "1 PDF" in out.getvalue()
