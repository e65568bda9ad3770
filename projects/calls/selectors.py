"""Reads of the call part: the pages of staff and applicants, the PDF, the exports.

Each selector returns a dataclass (``as_context()`` gives it to a template); none writes.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ess_metro.audit import audit_entries
from ess_metro.directory.models import LegalForm
from projects.models import Application, ApplicationStatus, Call

from . import rules
from .filters import ApplicationFilter
from .totals import envelope_totals

S = ApplicationStatus


class Page:
    """A page's data: ``as_context()`` gives its fields to the template, shallowly."""

    def as_context(self) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self)}


# --- Submission checks -----------------------------------------------------------------------


def _required_values(application) -> dict:
    names = [
        "title",
        "summary",
        "social_need",
        "innovation",
        "start_date",
        "end_date",
        "contact_name",
        "contact_email",
    ]
    return {name: getattr(application, name) for name in names}


def submission_facts(application: Application, *, now=None) -> rules.Submission:
    """What the submission rules need to know of a file and its call (four queries)."""
    call = application.call
    organisation = application.organisation
    documents = tuple(
        rules.Document(pk=pk, title=title, mandatory=mandatory)
        for pk, title, mandatory in call.required_documents.values_list("pk", "title", "mandatory")
    )
    return rules.Submission(
        now=now or timezone.now(),
        is_draft=application.status == S.DRAFT,
        call_published=call.accepts_files,
        opens_at=call.opens_at,
        closes_at=call.stopped_at,
        required=_required_values(application),
        start_date=application.start_date,
        end_date=application.end_date,
        legal_form_accepted=call.accepts_legal_form(organisation.legal_form),
        organisation=organisation.name,
        legal_form=str(organisation.get_legal_form_display()),
        whole_agglomeration=application.whole_agglomeration,
        communes=application.communes.count(),
        min_communes=call.min_communes,
        lines=tuple(application.rule_lines()),
        requested=application.requested_amount,
        aid_cap=call.aid_cap,
        max_share=call.max_share,
        documents=documents,
        present=frozenset(
            application.attachments.order_by().values_list("required_document_id", flat=True)
        ),
    )


def submission_problems(application: Application, *, now=None) -> dict[str, list[str]]:
    """Everything that prevents submission, in French, keyed by the field it concerns."""
    return rules.submission_errors(submission_facts(application, now=now))


# --- Staff: calls ----------------------------------------------------------------------------


@dataclass
class StaffCallPage(Page):
    call: Call
    totals: dict
    by_status: list
    publication_problems: list
    audit_entries: list
    history: list


def staff_call_page(pk: int) -> StaffCallPage:
    call = get_object_or_404(
        Call.objects.prefetch_related("criteria", "required_documents").select_related(
            "programme_line__programme"
        ),
        pk=pk,
    )
    by_status = dict(call.applications.values_list("status").annotate(n=Count("pk")).order_by())
    return StaffCallPage(
        call=call,
        totals=envelope_totals(call),
        by_status=[(label, by_status.get(value, 0)) for value, label in S.choices],
        publication_problems=call.publication_errors() if not call.is_published else [],
        audit_entries=audit_entries(call),
        history=list(call.transitions.select_related("user")),
    )


def staff_call_list():
    return Call.objects.annotate(application_count=Count("applications")).order_by(
        "-year", "-opens_at"
    )


# --- Staff: files ----------------------------------------------------------------------------


def staff_application(pk: int) -> Application:
    return get_object_or_404(staff_applications(), pk=pk)


def staff_applications():
    return (
        Application.objects.for_list()
        .select_related("created_by", "diagnosis", "convention")
        .prefetch_related("communes", "budget_lines", "partnerships__organisation")
    )


@dataclass
class StaffFilePage(Page):
    application: Application
    call: Call
    attachments: object
    thread: object
    history: object
    diagnosis: object
    criteria_scores: list
    weighted_total: Decimal | None
    checks: dict
    audit_entries: list = field(default_factory=list)


def staff_file_page(application: Application) -> StaffFilePage:
    """Everything the staff file page and its PDF show."""
    call = application.call
    criteria = list(call.criteria.all())
    diagnosis = getattr(application, "diagnosis", None)
    scores = {score.criterion_id: score for score in diagnosis.scores.all()} if diagnosis else {}
    weighted = None
    if diagnosis is not None:
        weighted = diagnosis.weighted_total(criteria, {k: v.score for k, v in scores.items()})
    entries = audit_entries(application)
    if diagnosis is not None:
        entries = sorted([*entries, *audit_entries(diagnosis)], key=lambda e: e.at, reverse=True)
    return StaffFilePage(
        application=application,
        call=call,
        attachments=application.attachments.select_related("required_document"),
        thread=application.messages.select_related("author"),
        history=application.transitions.select_related("user"),
        diagnosis=diagnosis,
        criteria_scores=[(criterion, scores.get(criterion.pk)) for criterion in criteria],
        weighted_total=weighted,
        checks=submission_problems(application) if application.submitted_at else {},
        audit_entries=entries,
    )


def filtered_applications(params) -> ApplicationFilter:
    """The list staff work on; drafts stay the applicant's until submitted or asked for."""
    queryset = Application.objects.for_list().order_by("-submitted_at", "-created_at")
    if not params.get("status"):
        queryset = queryset.exclude(status=S.DRAFT)
    return ApplicationFilter(params or None, queryset=queryset)


EXPORT_HEADERS = [
    gettext_lazy("Reference"),
    gettext_lazy("Call"),
    gettext_lazy("Project"),
    gettext_lazy("Organisation"),
    gettext_lazy("Legal form"),
    gettext_lazy("Status"),
    gettext_lazy("Communes"),
    gettext_lazy("Partner organisations"),
    gettext_lazy("Other partners"),
    gettext_lazy("Amount requested"),
    gettext_lazy("Granted amount"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Decision date"),
]


EXPORT_FIELDS = (
    "pk",
    "reference",
    "call__title",
    "title",
    "organisation__name",
    "organisation__legal_form",
    "status",
    "whole_agglomeration",
    "partners",
    "requested_amount",
    "granted_amount",
    "submitted_at",
    "decision_date",
)


def _names_by_application(relation, target: str, ids) -> dict[int, list[str]]:
    """The names linked to each application by a many-to-many ``relation``, in one query."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        relation.through.objects.filter(application__in=ids)
        .order_by(f"{target}__name")
        .values_list("application_id", f"{target}__name")
    )
    for application_id, name in rows.iterator(chunk_size=5000):
        names[application_id].append(name)
    return names


def export_rows(queryset):
    """One row per file, in three queries whatever the number of files (no model objects)."""
    ids = queryset.values("pk")
    communes = _names_by_application(Application.communes, "commune", ids)
    partners = _names_by_application(Application.partner_organisations, "organisation", ids)
    statuses, legal_forms = dict(S.choices), dict(LegalForm.choices)
    whole = _("Whole agglomeration")
    for row in queryset.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000):
        pk, reference, call, title, organisation, legal_form, status, everywhere, *rest = row
        others, requested, granted, submitted_at, decided = rest
        yield [
            reference or "",
            call,
            title,
            organisation,
            legal_forms.get(legal_form, legal_form),
            statuses.get(status, status),
            whole if everywhere else ", ".join(communes.get(pk, ())),
            ", ".join(partners.get(pk, ())),
            others,
            requested,
            granted,
            submitted_at,
            decided,
        ]


def export_queryset(params):
    return filtered_applications(params).qs


# --- Applicant -------------------------------------------------------------------------------


def applicant_queryset(user):
    return Application.objects.visible_to(user).select_related("call", "organisation", "created_by")


@dataclass
class ApplicantFilePage(Page):
    attachments: object
    thread: object
    history: object


def applicant_file_page(application: Application) -> ApplicantFilePage:
    return ApplicantFilePage(
        attachments=application.attachments.select_related("required_document"),
        thread=application.messages.select_related("author"),
        history=application.transitions.select_related("user"),
    )


@dataclass
class EditPage(Page):
    """The documents of the edit page: each required document, its files, its problems."""

    documents: list
    problems: dict
    general_problems: list
    budget_problems: list


def edit_page(application: Application, problems: dict | None = None) -> EditPage:
    problems = problems or {}
    attachments = list(application.attachments.select_related("required_document"))
    documents = [
        (
            document,
            [a for a in attachments if a.required_document_id == document.pk],
            problems.get(f"document-{document.pk}", []),
        )
        for document in application.call.required_documents.all()
    ]
    return EditPage(
        documents=documents,
        problems=problems,
        general_problems=problems.get("__all__", []),
        budget_problems=problems.get("budget", []),
    )


def receipt_context(application: Application) -> dict:
    return {
        "application": application,
        "call": application.call,
        "communes": list(application.communes.all()),
        "expenses": application.expense_lines,
        "incomes": application.income_lines,
        "attachments": list(application.attachments.select_related("required_document")),
        "submitted_at": application.submitted_at,
    }


# --- Public ----------------------------------------------------------------------------------


@dataclass
class CallListPage(Page):
    open_calls: list
    upcoming_calls: list
    closed_calls: list


def call_list_page(now=None) -> CallListPage:
    now = now or timezone.now()
    return CallListPage(
        open_calls=list(Call.objects.open_now(now)),
        upcoming_calls=list(Call.objects.upcoming(now)),
        closed_calls=list(Call.objects.closed(now)[:30]),
    )


def my_applications(call: Call, user) -> list:
    if not user.is_authenticated:
        return []
    return list(
        call.applications.visible_to(user)
        .filter(organisation__memberships__user=user)
        .select_related("organisation")
    )
