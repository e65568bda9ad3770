"""Writes of the applicant: start a draft, save it, documents, submit, messages, withdraw."""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ess_metro import workflow
from ess_metro.concurrency import VERSION_FIELD, check_version, sent_version
from ess_metro.permissions import is_staff
from ess_metro.uploads import validate_upload
from projects.calls import notifications, rules, selectors, tasks
from projects.calls.forms import draft_fingerprint
from projects.calls.services.partners import partnerships_set
from projects.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Attachment,
    BudgetKind,
    BudgetLine,
    Call,
    ReferenceSequence,
)

S = ApplicationStatus
M2M_FIELDS = ("communes", "partner_organisations")


@transaction.atomic
def application_start(*, call: Call, organisation, user, title: str) -> Application:
    """A new draft for an organisation, or its existing file for that call."""
    existing = (
        Application.objects.filter(call=call, organisation=organisation)
        .exclude(status=S.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return existing
    return Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=user,
        title=title,
        contact_name=user.get_full_name(),
        contact_email=user.email,
    )


def _raw_budget_rows(forms) -> list[tuple]:
    """What the applicant typed in each row, keeping what is valid and never losing a label."""
    rows = []
    for form in forms:
        form.is_valid()
        data = getattr(form, "cleaned_data", {}) or {}
        typed = data.get("label") or form.data.get(form.add_prefix("label"), "") or ""
        # The form refuses a NUL next to the field; the database could not even store it.
        label = typed.replace("\x00", "").strip()
        amount = data.get("amount")
        if not label and amount is None:
            continue
        rows.append((label[:255], amount, bool(data.get("secured"))))
    return rows


def _replace_budget(application: Application, kind: str, forms) -> None:
    application.budget_lines.filter(kind=kind).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            kind=kind,
            position=position,
            label=label,
            amount=amount,
            secured=secured if kind == BudgetKind.INCOME else False,
        )
        for position, (label, amount, secured) in enumerate(_raw_budget_rows(forms))
    )


def _save_valid_fields(application: Application, form, *, fingerprint: str) -> None:
    cleaned = form.cleaned_data
    names = [
        name
        for name in cleaned
        if name not in (*M2M_FIELDS, VERSION_FIELD)
        and not (name == "title" and not cleaned.get("title"))
    ]
    for name in names:
        setattr(application, name, cleaned[name])
    application.last_saved_at = timezone.now()
    application.draft_fingerprint = fingerprint
    application.save(update_fields=[*names, "last_saved_at", "draft_fingerprint"])
    if "communes" in cleaned:
        application.communes.set(cleaned["communes"])
    if "partner_organisations" in cleaned:
        partnerships_set(application=application, organisations=cleaned["partner_organisations"])


@transaction.atomic
def application_save_draft(
    *, application: Application, form, expense_forms: list, income_forms: list, user
) -> list[str]:
    """Save everything valid in the form and the budget rows; returns the fields in error.

    A draft is saved even when some fields are wrong: valid fields are stored, wrong ones keep
    their previous value in the database and their typed value in the re-rendered form. A form
    loaded before another save of the draft (another tab) raises ``StaleEdit`` and saves nothing.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    check_version(application, sent_version(form))  # another tab saved since: save nothing
    if not form.has_changed() and not any(f.has_changed() for f in expense_forms + income_forms):
        return []  # what autosave already stored (a "submit" in the last second): no write
    form.instance = application
    valid = all([form.is_valid(), *(row.is_valid() for row in expense_forms + income_forms)])
    # Everything typed is stored: the next version is the POST's (a later "submit" of the
    # same data at that version saves nothing, views/space.py).
    fingerprint = draft_fingerprint(form.data, application.lock_version + 1) if valid else ""
    _save_valid_fields(application, form, fingerprint=fingerprint)
    _replace_budget(application, BudgetKind.EXPENSE, expense_forms)
    _replace_budget(application, BudgetKind.INCOME, income_forms)
    errors = list(form.errors)
    errors += [f"{f.prefix}" for f in [*expense_forms, *income_forms] if f.errors]
    return errors


def _next_reference(year: int) -> str:
    """The next number of the year. The UPDATE locks the sequence row until the commit; it
    reads the new number back in the same statement (RETURNING)."""
    table = connection.ops.quote_name(ReferenceSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 WHERE year = %s"  # noqa: S608
            " RETURNING last_number",
            [year],
        )
        row = cursor.fetchone()
    if row is None:  # the first file of the year
        ReferenceSequence.objects.get_or_create(year=year)
        return _next_reference(year)
    return f"AAP-{year}-{row[0]:04d}"


def _locked(application: Application) -> Application:
    """The file under its row lock, with its call and organisation.

    Every save raises the file's edit version: when the version read with the lock is the one
    of the copy the request loaded, nothing was saved in between and that copy is used (one
    light query instead of the file, its call and its organisation again); otherwise the file
    is read again.
    """
    version, status = (
        Application.objects.select_for_update()
        .filter(pk=application.pk)
        .values_list(VERSION_FIELD, "status")
        .get()
    )
    loaded = application.__dict__
    if loaded.get(VERSION_FIELD) == version and loaded.get("status") == status:
        return application
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )


class CallClosed(ValidationError):
    """A first submission that reached the portal at or after the call's closing time."""

    def __init__(self, *, call: Call, received_at: datetime.datetime):
        self.call = call
        self.received_at = received_at
        super().__init__(rules.closed_message(call.closes_at), code="closed")


@transaction.atomic
def application_submit(
    *,
    application: Application,
    user,
    received_at: datetime.datetime | None = None,
    version: int | None = None,
) -> Application:
    """Check the file, give it its reference; the receipt and e-mail follow in the worker.

    The file is judged at ``received_at``, the moment its request reached the portal (stamped
    by ``ArrivalStampMiddleware`` before any lock or queue), not at the moment it is processed:
    a file sent one second before closing is on time even if a crowd makes it wait. Only the
    allocation of the reference, the last write, holds the shared sequence lock, and the PDF
    receipt and the e-mail are made by a task queued after the commit.

    ``CallClosed`` is raised when a first submission arrived at or after the closing time,
    ``StaleEdit`` when ``version`` (the draft's version the page was loaded with) is no longer
    the saved one, and ``ValidationError`` carries the problems keyed by field (or
    ``document-<pk>``) when the file is incomplete, a plain message when its status does not
    allow submission.
    """
    received_at = received_at or timezone.now()
    application = _locked(application)
    check_version(application, version)  # another tab saved since: submit nothing unseen
    if application.status == S.DRAFT and not application.call.is_open(now=received_at):
        raise CallClosed(call=application.call, received_at=received_at)
    reasons = workflow.unmet_conditions(application, "submit")
    if reasons:
        raise ValidationError(reasons)
    problems = selectors.submission_problems(application, now=received_at)
    if problems:
        raise ValidationError(problems)
    resubmission = application.status != S.DRAFT
    workflow.fire(application, "submit", user=user, now=received_at)
    if not application.reference:
        application.reference = _next_reference(application.call.year)
        Application.objects.filter(pk=application.pk).update(reference=application.reference)
    transaction.on_commit(
        partial(
            tasks.application_receipt.enqueue,
            application_id=application.pk,
            resubmission=resubmission,
        )
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user, comment: str = "") -> Application:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    workflow.fire(application, "withdraw", user=user, comment=comment)
    return application


@transaction.atomic
def message_post(*, application: Application, user, body: str) -> ApplicationMessage:
    from_staff = bool(is_staff(user))
    message = ApplicationMessage.objects.create(
        application=application, author=user, from_staff=from_staff, body=body
    )
    if from_staff:
        notifications.message_to_applicant(message)
    else:
        notifications.message_to_staff(message)
    return message


@transaction.atomic
def attachment_add(*, application: Application, required_document, upload, user) -> Attachment:
    mime = validate_upload(upload)
    attachment = Attachment(
        application=application,
        required_document=required_document,
        original_name=upload.name[:255],
        content_type=mime,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    Application.objects.filter(pk=application.pk).update(last_saved_at=timezone.now())
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    attachment.file.delete(save=False)
    attachment.delete()
