import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from demo.factories.calls import ApplicationFactory, CallFactory, application_in, make_line
from demo.factories.core import make_staff
from programme.totals import LineAmounts, amounts_by_line
from projects.calls import selectors, services
from projects.calls.totals import call_line_amounts, envelope_totals
from projects.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    CriterionScore,
    EconomicDiagnosis,
    ReferenceSequence,
)

S = ApplicationStatus


def test_open_now_lists_published_open_calls_by_closing(db):
    now = timezone.now()
    later = CallFactory(closes_at=now + datetime.timedelta(days=30))
    sooner = CallFactory(closes_at=now + datetime.timedelta(days=2))
    CallFactory(draft=True)
    CallFactory(opens_at=now + datetime.timedelta(days=1))
    CallFactory(closes_at=now - datetime.timedelta(seconds=1))
    CallFactory(status=CallStatus.CLOSED)
    assert list(Call.objects.open_now()) == [sooner, later]


def test_publication_refused_with_closing_date_in_the_past(db):
    call = CallFactory(draft=True, closes_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        services.call_publish(call=call, user=make_staff())
    assert "date de clôture passée" in error.value.messages[0]
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_publication_refused_with_cap_above_envelope(db):
    call = CallFactory(draft=True, aid_cap=Decimal("50000"), envelope=Decimal("30000"))
    with pytest.raises(ValidationError) as error:
        services.call_publish(call=call, user=make_staff())
    assert "plafond d'aide supérieur à son enveloppe" in error.value.messages[0]


def test_publish_then_close(db):
    call = CallFactory(draft=True)
    staff = make_staff()
    services.call_publish(call=call, user=staff)
    assert call.status == CallStatus.PUBLISHED and call.published_at
    services.call_close(call=call, user=staff)
    assert call.status == CallStatus.CLOSED
    assert not call.is_open()


def test_complete_draft_has_no_problem(draft):
    assert selectors.submission_problems(draft) == {}


def test_submission_checks_each_rule(draft):
    draft.requested_amount = Decimal("16000.00")
    draft.save()
    draft.communes.clear()
    draft.attachments.all().delete()
    errors = selectors.submission_problems(draft)
    assert "au-dessus du plafond" in errors["requested_amount"][0]
    assert "64,00" in errors["requested_amount"][1]  # share of the budget
    assert "n'est pas équilibré" in errors["budget"][0]
    assert "au moins 2 communes" in errors["communes"][0]
    missing = [key for key in errors if key.startswith("document-")]
    assert len(missing) == 2


def test_whole_agglomeration_meets_the_commune_rule(draft):
    draft.communes.clear()
    draft.whole_agglomeration = True
    draft.save()
    assert "communes" not in selectors.submission_problems(draft)


def test_legal_form_outside_accepted_families_is_refused(draft):
    draft.call.accepted_families = ["cooperative"]
    draft.call.save()
    errors = selectors.submission_problems(draft)
    assert "n'est pas acceptée par cet appel" in errors["__all__"][0]


def test_submit_allocates_reference_receipt_and_email(
    draft, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=draft, user=applicant)
    assert submitted.reference == "AAP-2026-0001"
    assert submitted.status == S.SUBMITTED
    submitted.refresh_from_db()
    assert submitted.receipt.name.endswith(".pdf")
    with submitted.receipt.open("rb") as receipt:
        assert receipt.read().startswith(b"%PDF")
    log = submitted.transitions.get()
    assert (log.from_status, log.to_status, log.user) == (S.DRAFT, S.SUBMITTED, applicant)
    assert mail.outbox[-1].subject == "Dossier AAP-2026-0001 reçu"
    second = ApplicationFactory(call=draft.call, complete=True)
    assert services.application_submit(application=second, user=second.created_by).reference == (
        "AAP-2026-0002"
    )


def test_receipt_and_email_come_from_the_task_queued_after_the_commit(
    draft, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted = services.application_submit(application=draft, user=applicant)
    # Committed, not yet processed by the worker: the reference is there, the receipt not.
    stored = Application.objects.get(pk=draft.pk)
    assert (stored.status, stored.reference) == (S.SUBMITTED, submitted.reference)
    assert not stored.receipt and mail.outbox == []
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # what the commit does: queue the task (run at once by the test backend)
    stored.refresh_from_db()
    with stored.receipt.open("rb") as receipt:
        assert receipt.read().startswith(b"%PDF")
    assert mail.outbox[-1].subject == f"Dossier {stored.reference} reçu"


def test_a_rolled_back_submission_queues_no_receipt(
    draft, applicant, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.application_submit(application=draft, user=applicant)
        raise RuntimeError("the request failed after the submission")
    assert callbacks == []
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.reference is None and not draft.receipt
    assert not ReferenceSequence.objects.filter(last_number__gt=0).exists()  # no gap either


def test_submission_one_second_after_closing_is_refused(draft, applicant):
    late = draft.call.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(services.CallClosed) as refused:
        services.application_submit(application=draft, user=applicant, received_at=late)
    assert isinstance(refused.value, ValidationError)  # for any caller that shows messages
    assert "n'est plus possible de déposer" in refused.value.messages[0]
    assert refused.value.received_at == late and refused.value.call == draft.call
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.reference is None


def test_a_file_received_before_closing_is_accepted_even_when_processed_after(
    draft, applicant, django_capture_on_commit_callbacks
):
    closes_at = timezone.now() - datetime.timedelta(seconds=5)
    Call.objects.filter(pk=draft.call_id).update(closes_at=closes_at)  # closed 5 s ago
    received_at = closes_at - datetime.timedelta(milliseconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(
            application=draft, user=applicant, received_at=received_at
        )
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.reference == "AAP-2026-0001"
    assert submitted.submitted_at == received_at  # the receipt says when it arrived
    late = ApplicationFactory(call=draft.call, complete=True)
    with pytest.raises(ValidationError):
        services.application_submit(application=late, user=late.created_by, received_at=closes_at)


def test_resubmission_after_request_keeps_reference_even_after_closing(
    draft, applicant, django_capture_on_commit_callbacks
):
    staff = make_staff()
    services.application_submit(application=draft, user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_documents(application=draft, user=staff, comment="RIB svp")
    draft.refresh_from_db()
    assert draft.status == S.DOCUMENTS_REQUESTED
    assert "RIB svp" in mail.outbox[-1].body
    late = draft.call.closes_at + datetime.timedelta(days=1)
    again = services.application_submit(application=draft, user=applicant, received_at=late)
    assert again.reference == "AAP-2026-0001"
    assert list(again.transitions.values_list("to_status", flat=True)) == [
        S.SUBMITTED,
        S.DOCUMENTS_REQUESTED,
        S.SUBMITTED,
    ]


def test_forbidden_transition_is_refused(draft):
    with pytest.raises(ValidationError) as error:
        services.decision_record(application=draft, user=make_staff(), granted=True, data={})
    assert "tant que le statut est « Brouillon »" in error.value.messages[0]
    assert Application.objects.get(pk=draft.pk).status == S.DRAFT


def test_weighted_total_of_diagnosis(db):
    application = application_in(S.ELIGIBLE)
    staff = make_staff()
    criteria = list(application.call.criteria.all())  # weights 3, 2, 1
    services.diagnosis_save(
        application=application,
        user=staff,
        data={"recommendation": "favourable", "proposed_amount": Decimal("8000")},
        scores={criteria[0]: (5, ""), criteria[1]: (4, ""), criteria[2]: (2, "fragile")},
    )
    diagnosis = EconomicDiagnosis.objects.get(application=application)
    # (5×3 + 4×2 + 2×1) / (5 × 6) × 100 = 25 / 30 × 100
    assert diagnosis.weighted_total() == Decimal("83.3")
    assert CriterionScore.objects.filter(diagnosis=diagnosis).count() == 3
    services.diagnosis_complete(application=application, user=staff)
    assert Application.objects.get(pk=application.pk).status == S.DIAGNOSED


def test_incomplete_diagnosis_cannot_be_completed(db):
    application = application_in(S.ELIGIBLE)
    staff = make_staff()
    services.diagnosis_save(application=application, user=staff, data={}, scores={})
    with pytest.raises(ValidationError):
        services.diagnosis_complete(application=application, user=staff)


def test_envelope_totals_and_programme_source(db, django_assert_num_queries):
    from programme.models import ProgrammeLine

    line = make_line()
    call = CallFactory(programme_line=line, envelope=Decimal("50000"))
    application_in(S.GRANTED, call=call, granted_amount=Decimal("9000"))
    diagnosed = application_in(S.DIAGNOSED, call=call)
    EconomicDiagnosis.objects.create(
        application=diagnosed, author=make_staff(), proposed_amount=Decimal("7000")
    )
    application_in(S.DRAFT, call=call)
    application_in(S.WITHDRAWN, call=call)
    with django_assert_num_queries(1):
        totals = envelope_totals(call)
    assert totals == {
        "requested": Decimal("20000.00"),
        "proposed": Decimal("7000.00"),
        "granted": Decimal("9000.00"),
        "envelope": Decimal("50000.00"),
        "remaining": Decimal("41000.00"),
    }
    assert amounts_by_line([line.pk])[line.pk].committed >= Decimal("9000.00")
    other_line = make_line(title="Autre ligne")
    with django_assert_num_queries(1):
        amounts = call_line_amounts([line.pk, other_line.pk])
    assert amounts == {line.pk: LineAmounts(committed=Decimal("9000.00"), paid=Decimal("0.00"))}
    assert ProgrammeLine.objects.filter(pk=line.pk).exists()


def test_visible_to_limits_applicants_to_their_organisations(draft, applicant, other_applicant):
    assert list(Application.objects.visible_to(applicant)) == [draft]
    assert not Application.objects.visible_to(other_applicant).exists()
    assert Application.objects.visible_to(make_staff()).count() == 1
    assert list(Application.objects.granted()) == []


def test_references_are_numbered_per_year_of_the_call(organisation, applicant):
    first = ApplicationFactory(complete=True, organisation=organisation)
    next_year_call = CallFactory(year=2027)
    other = ApplicationFactory(call=next_year_call, complete=True, organisation=organisation)
    assert services.application_submit(application=first, user=applicant).reference == (
        "AAP-2026-0001"
    )
    assert services.application_submit(application=other, user=applicant).reference == (
        "AAP-2027-0001"
    )


def test_a_submitted_file_cannot_be_submitted_twice(draft, applicant):
    services.application_submit(application=draft, user=applicant)
    with pytest.raises(ValidationError):
        services.application_submit(application=draft, user=applicant)
    assert Application.objects.get(pk=draft.pk).transitions.count() == 1
