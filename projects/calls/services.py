"""Writes of the call part: publication, drafts, submission, instruction, decision.

Every function is keyword-only, runs in a transaction and logs each change of state.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ess_metro import formatting
from ess_metro.accounts import roles
from ess_metro.notifications import notify
from ess_metro.pdf import render_pdf
from ess_metro.uploads import validate_upload
from programme.models import ProgrammeLine
from projects.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    ApplicationTransition,
    Attachment,
    BudgetKind,
    BudgetLine,
    Call,
    CallStatus,
    CriterionScore,
    EconomicDiagnosis,
    ReferenceSequence,
)

S = ApplicationStatus
ZERO = Decimal("0.00")


class TransitionError(Exception):
    """A change of state the workflow does not allow."""


class SubmissionRefused(Exception):
    """The file cannot be submitted; ``errors`` maps a field (or a document) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


# --- Calls -----------------------------------------------------------------------------------


@transaction.atomic
def call_publish(*, call: Call, user, now=None) -> Call:
    problems = call.publication_errors(now)
    if problems:
        raise ValidationError(problems)
    call.status = CallStatus.PUBLISHED
    call.published_at = now or timezone.now()
    call.closed_at = None
    call.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
    return call


@transaction.atomic
def call_close(*, call: Call, user, now=None) -> Call:
    if call.status != CallStatus.PUBLISHED:
        raise ValidationError(_("Only a published call can be closed."))
    call.status = CallStatus.CLOSED
    call.closed_at = now or timezone.now()
    call.save(update_fields=["status", "closed_at", "updated_at"])
    return call


# --- Applicant side --------------------------------------------------------------------------


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


def _raw_budget_rows(forms):
    """What the applicant typed in each row, keeping what is valid and never losing a label."""
    rows = []
    for form in forms:
        form.is_valid()
        data = getattr(form, "cleaned_data", {}) or {}
        label = (data.get("label") or form.data.get(form.add_prefix("label"), "") or "").strip()
        amount = data.get("amount")
        if not label and amount is None:
            continue
        rows.append((label[:255], amount, bool(data.get("secured"))))
    return rows


M2M_FIELDS = ("communes", "partner_organisations")


@transaction.atomic
def application_save_draft(
    *, application: Application, form, expense_forms, income_forms, user
) -> list[str]:
    """Save everything valid in the form and the budget rows; returns the fields in error.

    A draft is saved even when some fields are wrong: valid fields are stored, wrong ones keep
    their previous value in the database and their typed value in the re-rendered form.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    form.instance = application
    form.is_valid()
    cleaned = form.cleaned_data
    fields = [
        name
        for name in cleaned
        if name not in M2M_FIELDS and not (name == "title" and not cleaned.get("title"))
    ]
    for name in fields:
        setattr(application, name, cleaned[name])
    application.last_saved_at = timezone.now()
    application.save(update_fields=[*fields, "last_saved_at"])
    for name in M2M_FIELDS:
        if name in cleaned:
            getattr(application, name).set(cleaned[name])
    for kind, forms in ((BudgetKind.EXPENSE, expense_forms), (BudgetKind.INCOME, income_forms)):
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
    errors = list(form.errors)
    errors += [f"{f.prefix}" for f in [*expense_forms, *income_forms] if f.errors]
    return errors


def _date_time(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def application_check(application: Application, now=None) -> dict[str, list[str]]:
    """Everything that prevents submission, in French, keyed by the field it concerns."""
    now = now or timezone.now()
    call = application.call
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    if application.status == S.DRAFT and not call.is_open(now):
        add(
            "__all__",
            _("The call closed on %(date)s: files can no longer be submitted.")
            % {"date": _date_time(call.closes_at)},
        )
    required = {
        "title": application.title,
        "summary": application.summary,
        "social_need": application.social_need,
        "innovation": application.innovation,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
    }
    for name, value in required.items():
        if value in (None, ""):
            add(name, _("This field is required to submit the file."))
    if application.start_date and application.end_date < application.start_date:
        add("end_date", _("The end date must come after the start date."))
    if not call.accepts_legal_form(application.organisation.legal_form):
        add(
            "__all__",
            _("The legal form of %(organisation)s (%(form)s) is not accepted by this call.")
            % {
                "organisation": application.organisation.name,
                "form": application.organisation.get_legal_form_display(),
            },
        )
    communes = application.communes.count()
    if not application.whole_agglomeration and communes < call.min_communes:
        add(
            "communes",
            _(
                "The project must reach at least %(minimum)s communes of the Métro or the whole "
                "agglomeration (%(count)s selected)."
            )
            % {"minimum": call.min_communes, "count": communes},
        )
    lines = list(application.budget_lines.all())
    expenses = [line for line in lines if line.kind == BudgetKind.EXPENSE]
    for line in lines:
        if line.amount is None or not line.label:
            add(
                "budget",
                _("Every budget line needs a label and an amount (line “%(label)s”).")
                % {"label": line.label or "—"},
            )
    if not expenses:
        add("budget", _("Give at least one expense line."))
    requested = application.requested_amount
    if requested is None or requested <= 0:
        add("requested_amount", _("Give the amount requested from the Métro."))
    else:
        if requested > call.aid_cap:
            add(
                "requested_amount",
                _("The amount requested (%(amount)s) is above the cap of the call (%(cap)s).")
                % {
                    "amount": formatting.money(requested),
                    "cap": formatting.money(call.aid_cap),
                },
            )
        total_expenses = application.total_expenses
        if total_expenses and requested * 100 > call.max_share * total_expenses:
            add(
                "requested_amount",
                _(
                    "The amount requested is %(share)s of the project budget; the call allows "
                    "at most %(max)s."
                )
                % {
                    "share": formatting.percent(application.requested_share, 2),
                    "max": formatting.percent(call.max_share),
                },
            )
        if application.total_income != total_expenses:
            add(
                "budget",
                _(
                    "The budget is not balanced: expenses %(expenses)s, income %(income)s "
                    "(co-financing plus the amount requested)."
                )
                % {
                    "expenses": formatting.money(total_expenses),
                    "income": formatting.money(application.total_income),
                },
            )
    present = set(application.attachments.values_list("required_document_id", flat=True))
    for document in call.required_documents.all():
        if document.mandatory and document.pk not in present:
            add(
                f"document-{document.pk}",
                _("The document “%(title)s” is missing.") % {"title": document.title},
            )
    return errors


def _next_reference(year: int) -> str:
    sequence, _created = ReferenceSequence.objects.get_or_create(year=year)
    sequence = ReferenceSequence.objects.select_for_update(of=("self",)).get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"AAP-{year}-{sequence.last_number:04d}"


def _log(application, from_status, to_status, user, comment="", at=None):
    ApplicationTransition.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
        at=at or timezone.now(),
    )


def _applicant_recipients(application) -> list[str]:
    addresses = [application.created_by.email, application.contact_email]
    return list(dict.fromkeys(address for address in addresses if address))


def _staff_recipients() -> list[str]:
    """The team's shared mailbox when configured, else every ESS officer."""
    if settings.STAFF_NOTIFICATION_EMAIL:
        return [settings.STAFF_NOTIFICATION_EMAIL]
    users = get_user_model().objects.filter(groups__name=roles.STAFF_GROUP, is_active=True)
    return list(users.values_list("email", flat=True))


def _receipt_context(application, now):
    return {
        "application": application,
        "call": application.call,
        "communes": list(application.communes.all()),
        "expenses": application.expense_lines,
        "incomes": application.income_lines,
        "attachments": list(application.attachments.select_related("required_document")),
        "submitted_at": now,
    }


@transaction.atomic
def application_submit(*, application: Application, user, now=None) -> Application:
    """Check the file, give it its reference, store the PDF receipt, tell the applicant."""
    now = now or timezone.now()
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status not in (S.DRAFT, S.DOCUMENTS_REQUESTED):
        raise TransitionError(_("This file has already been submitted."))
    errors = application_check(application, now)
    if errors:
        raise SubmissionRefused(errors)
    previous = application.status
    if not application.reference:
        application.reference = _next_reference(application.call.year)
    application.status = S.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["reference", "status", "submitted_at"])
    _log(application, previous, S.SUBMITTED, user, at=now)
    application = (
        Application.objects.select_related("call", "organisation")
        .prefetch_related("budget_lines")
        .get(pk=application.pk)
    )
    pdf = render_pdf("pdf/projects/calls/receipt.html", _receipt_context(application, now))
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    application.receipt.save(f"{application.reference}-{stamp}.pdf", ContentFile(pdf), save=True)
    context = {"application": application, "resubmission": previous != S.DRAFT}
    notify("projects/application_submitted", to=_applicant_recipients(application), context=context)
    if previous != S.DRAFT:
        notify("projects/application_resubmitted", to=_staff_recipients(), context=context)
    return application


@transaction.atomic
def application_transition(
    *, application: Application, to: str, user, comment: str = ""
) -> Application:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not application.can_go_to(to):
        raise TransitionError(
            _("A file in state “%(from)s” cannot go to “%(to)s”.")
            % {"from": application.get_status_display(), "to": S(to).label}
        )
    previous = application.status
    application.status = to
    application.save(update_fields=["status"])
    _log(application, previous, to, user, comment)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, user, comment: str = "") -> Application:
    return application_transition(
        application=application, to=S.WITHDRAWN, user=user, comment=comment
    )


@transaction.atomic
def application_request_documents(*, application: Application, user, comment: str) -> Application:
    application = application_transition(
        application=application, to=S.DOCUMENTS_REQUESTED, user=user, comment=comment
    )
    ApplicationMessage.objects.create(
        application=application, author=user, from_staff=True, body=comment
    )
    notify(
        "projects/application_documents_requested",
        to=_applicant_recipients(application),
        context={"application": application, "comment": comment},
    )
    return application


@transaction.atomic
def application_set_eligibility(
    *, application: Application, user, eligible: bool, comment: str = ""
) -> Application:
    target = S.ELIGIBLE if eligible else S.INELIGIBLE
    application = application_transition(
        application=application, to=target, user=user, comment=comment
    )
    if not eligible:
        notify(
            "projects/application_decision",
            to=_applicant_recipients(application),
            context={"application": application, "comment": comment},
        )
    return application


@transaction.atomic
def message_post(*, application: Application, user, body: str) -> ApplicationMessage:
    from_staff = roles.has_role(user, roles.STAFF)
    message = ApplicationMessage.objects.create(
        application=application, author=user, from_staff=from_staff, body=body
    )
    context = {"application": application, "message": message}
    if from_staff:
        notify(
            "projects/application_message", to=_applicant_recipients(application), context=context
        )
    else:
        notify("projects/application_message_staff", to=_staff_recipients(), context=context)
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


# --- Instruction -----------------------------------------------------------------------------


@transaction.atomic
def diagnosis_save(
    *, application: Application, user, data: dict, scores: dict
) -> EconomicDiagnosis:
    """Store the diagnosis; ``scores`` maps a criterion to ``(score, comment)``."""
    diagnosis, _created = EconomicDiagnosis.objects.get_or_create(
        application=application, defaults={"author": user}
    )
    for name, value in data.items():
        setattr(diagnosis, name, value)
    diagnosis.author = user
    diagnosis.save()
    for criterion, (score, comment) in scores.items():
        if score is None:
            CriterionScore.objects.filter(diagnosis=diagnosis, criterion=criterion).delete()
            continue
        CriterionScore.objects.update_or_create(
            diagnosis=diagnosis,
            criterion=criterion,
            defaults={"score": score, "comment": comment},
        )
    return diagnosis


@transaction.atomic
def diagnosis_complete(*, application: Application, user, comment: str = "") -> Application:
    diagnosis = getattr(application, "diagnosis", None)
    criteria = list(application.call.criteria.all())
    scored = set(diagnosis.scores.values_list("criterion_id", flat=True)) if diagnosis else set()
    if (
        diagnosis is None
        or not diagnosis.is_complete
        or any(criterion.pk not in scored for criterion in criteria)
    ):
        raise TransitionError(
            _(
                "Complete the diagnosis first: a score for every criterion, a recommendation "
                "and a proposed amount."
            )
        )
    return application_transition(
        application=application, to=S.DIAGNOSED, user=user, comment=comment
    )


@transaction.atomic
def committee_opinion_record(
    *, application: Application, user, opinion: str, date: datetime.date, text: str
) -> Application:
    application = application_transition(
        application=application, to=S.COMMITTEE_OPINION, user=user, comment=text
    )
    application.committee_opinion = opinion
    application.committee_opinion_date = date
    application.committee_opinion_text = text
    application.save(
        update_fields=["committee_opinion", "committee_opinion_date", "committee_opinion_text"]
    )
    return application


@transaction.atomic
def decision_record(*, application: Application, user, granted: bool, data: dict) -> Application:
    target = S.GRANTED if granted else S.REFUSED
    application = application_transition(
        application=application,
        to=target,
        user=user,
        comment=data.get("decision_reasons") or data.get("decision_conditions") or "",
    )
    for name in (
        "decision_conditions",
        "decision_reasons",
        "decision_date",
        "deliberation_reference",
        "deliberation_date",
    ):
        setattr(application, name, data.get(name) or ("" if "date" not in name else None))
    application.granted_amount = data.get("granted_amount") if granted else None
    application.save()
    notify(
        "projects/application_decision",
        to=_applicant_recipients(application),
        context={"application": application, "comment": application.decision_reasons},
    )
    return application


# --- After the decision ----------------------------------------------------------------------

WRITTEN_AGREEMENT_THRESHOLD = Decimal("23000")


@transaction.atomic
def application_prepare_convention(*, application: Application, user):
    """A draft convention for a granted file: one tranche on the call's programme line.

    The convention is then completed, signed and paid in the conventions part; once it is
    signed its tranches carry the commitment in the programme totals instead of the grant.
    """
    from projects.conventions.services import TrancheSpec, convention_create

    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if application.status != S.GRANTED:
        raise TransitionError(_("Only a granted file leads to a convention."))
    if application.convention_id:
        raise TransitionError(_("This file already has a convention."))
    year = (application.decision_date or timezone.localdate()).year
    amount = application.granted_amount
    line = application.call.programme_line
    if line is None or line.programme.year != year:
        line = (
            ProgrammeLine.objects.filter(programme__year=year, axis__code="innovation-call")
            .order_by("-programme__version", "position", "pk")
            .first()
        )
    if line is None:
        raise TransitionError(
            _(
                "No line of the %(year)s programme funds the call: add one (axis “annual "
                "social-innovation call”) before preparing the convention."
            )
            % {"year": year}
        )
    objectives = "\n\n".join(
        text for text in (application.summary, application.expected_results) if text
    )
    convention = convention_create(
        beneficiary=application.organisation,
        title=application.title,
        objectives=objectives or application.title,
        start_year=year,
        end_year=year,
        tranches=[TrancheSpec(year=year, amount=amount, programme_line=line)],
        amount_granted=amount,
        written_agreement=amount > WRITTEN_AGREEMENT_THRESHOLD,
        evaluation=application.decision_conditions,
        user=user,
    )
    application.convention = convention
    application.save(update_fields=["convention"])
    return convention
