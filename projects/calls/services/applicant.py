"""Writes of the applicant: start a draft, save it, documents, submit, messages, withdraw."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ess_metro import workflow
from ess_metro.pdf import render_pdf
from ess_metro.permissions import is_staff
from ess_metro.uploads import validate_upload
from projects.calls import notifications, selectors
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


def _save_valid_fields(application: Application, form) -> None:
    form.instance = application
    form.is_valid()
    cleaned = form.cleaned_data
    names = [
        name
        for name in cleaned
        if name not in M2M_FIELDS and not (name == "title" and not cleaned.get("title"))
    ]
    for name in names:
        setattr(application, name, cleaned[name])
    application.last_saved_at = timezone.now()
    application.save(update_fields=[*names, "last_saved_at"])
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
    their previous value in the database and their typed value in the re-rendered form.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    _save_valid_fields(application, form)
    _replace_budget(application, BudgetKind.EXPENSE, expense_forms)
    _replace_budget(application, BudgetKind.INCOME, income_forms)
    errors = list(form.errors)
    errors += [f"{f.prefix}" for f in [*expense_forms, *income_forms] if f.errors]
    return errors


def _next_reference(year: int) -> str:
    sequence, _created = ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update(of=("self",)).get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"AAP-{year}-{sequence.last_number:04d}"


def _store_receipt(application: Application, now) -> Application:
    application = (
        Application.objects.select_related("call", "organisation")
        .prefetch_related("budget_lines")
        .get(pk=application.pk)
    )
    pdf = render_pdf("pdf/projects/calls/receipt.html", selectors.receipt_context(application, now))
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    application.receipt.save(f"{application.reference}-{stamp}.pdf", ContentFile(pdf), save=True)
    return application


@transaction.atomic
def application_submit(*, application: Application, user, now=None) -> Application:
    """Check the file, give it its reference, store the PDF receipt, tell the applicant.

    ``ValidationError`` carries the problems keyed by field (or ``document-<pk>``) when the
    file is incomplete, a plain message when its status does not allow submission.
    """
    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    reasons = workflow.unmet_conditions(application, "submit")
    if reasons:
        raise ValidationError(reasons)
    problems = selectors.submission_problems(application, now=now)
    if problems:
        raise ValidationError(problems)
    reference = application.reference or _next_reference(application.call.year)
    workflow.fire(application, "submit", user=user, reference=reference, now=now)
    return _store_receipt(application, now)


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
