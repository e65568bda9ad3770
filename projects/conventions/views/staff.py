"""Structuring projects, conventions, payments and reports: staff desk and beneficiary space."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from ess_metro.accounts import roles
from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.pdf import pdf_response, render_pdf
from projects.conventions import services
from projects.conventions.forms import (
    AmendmentForm,
    AmendmentSignForm,
    BankDetailsForm,
    ConventionForm,
    ConventionTransitionForm,
    PaymentForm,
    PaymentPayForm,
    ReportForm,
    ReportReviewForm,
    StructuringProjectForm,
    TrancheFormSet,
    amendment_tranche_initial,
    tranche_initial,
)
from projects.conventions.models import (
    CONVENTION_STATUSES_FOR_FILTER,
    Convention,
    ConventionAmendment,
    ConventionStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProjectTheme,
    Report,
    ReportAttachment,
    ReportStatus,
    StructuringProject,
    StructuringProjectStatus,
)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- structuring projects ---------------------------------------------------------------------


class StructuringProjectListView(StaffRequiredMixin, ListView):
    template_name = "projects/conventions/project_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = StructuringProject.objects.for_list().order_by("theme", "title")
        theme = self.request.GET.get("theme", "")
        if theme in ProjectTheme.values:
            queryset = queryset.filter(theme=theme)
        status = self.request.GET.get("statut", "")
        if status in StructuringProjectStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            themes=ProjectTheme.choices,
            statuses=StructuringProjectStatus.choices,
            selected_theme=self.request.GET.get("theme", ""),
            selected_status=self.request.GET.get("statut", ""),
        )
        return context


class StructuringProjectCreateView(StaffRequiredMixin, CreateView):
    template_name = "projects/conventions/project_form.html"
    form_class = StructuringProjectForm

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The structuring project has been recorded."))
        return response


class StructuringProjectUpdateView(StaffRequiredMixin, UpdateView):
    template_name = "projects/conventions/project_form.html"
    form_class = StructuringProjectForm
    context_object_name = "project"
    queryset = StructuringProject.objects.all()

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The structuring project has been updated."))
        return response


class StructuringProjectDetailView(StaffRequiredMixin, DetailView):
    template_name = "projects/conventions/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return StructuringProject.objects.for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conventions"] = (
            self.object.conventions.with_totals()
            .select_related("beneficiary")
            .order_by("start_year")
        )
        return context


@method_decorator(login_not_required, name="dispatch")
class PublicStructuringProjectsView(TemplateView):
    """The structuring projects the Métro supports, theme by theme (public)."""

    template_name = "projects/conventions/public_projects.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_theme = defaultdict(list)
        for project in StructuringProject.objects.public().for_list().order_by("title"):
            by_theme[project.theme].append(project)
        context["themes"] = [
            {"value": value, "label": label, "projects": by_theme.get(value, [])}
            for value, label in ProjectTheme.choices
        ]
        context["project_count"] = sum(len(projects) for projects in by_theme.values())
        return context


# --- conventions: staff ----------------------------------------------------------------------


class ConventionDashboardView(StaffRequiredMixin, ListView):
    """Every convention, with what needs doing: late reports, reports to review, payments due."""

    template_name = "projects/conventions/dashboard.html"
    paginate_by = 50

    def get_template_names(self):
        if self.request.htmx:
            return ["projects/conventions/_convention_table.html"]
        return [self.template_name]

    def get_queryset(self):
        queryset = Convention.objects.for_list().with_totals().order_by("-start_year", "reference")
        status = self.request.GET.get("statut", "")
        if status in ConventionStatus.values:
            queryset = queryset.filter(status=status)
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(reference__icontains=query) | queryset.filter(
                beneficiary__name__icontains=query
            )
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:
            context.update(services.staff_digest_data())
        context.update(
            statuses=CONVENTION_STATUSES_FOR_FILTER,
            selected_status=self.request.GET.get("statut", ""),
            query=self.request.GET.get("q", ""),
        )
        return context


def _convention_queryset():
    return Convention.objects.select_related(
        "beneficiary", "structuring_project", "created_by"
    ).prefetch_related(
        "tranches__programme_line__programme",
        "indicators",
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related("tranche", "report").order_by("due_date", "pk"),
        ),
        Prefetch("reports", queryset=Report.objects.prefetch_related("attachments")),
        Prefetch(
            "amendments",
            queryset=ConventionAmendment.objects.select_related("created_by").order_by("number"),
        ),
    )


def year_rows(convention: Convention) -> list[dict]:
    """Granted, paid, remaining and the report of each year (from prefetched rows)."""
    reports = {report.year: report for report in convention.reports.all()}
    paid = defaultdict(lambda: Decimal("0.00"))
    for payment in convention.payments.all():
        if payment.status == PaymentStatus.PAID:
            paid[payment.tranche.year] += payment.amount
    rows = []
    for tranche in convention.tranches.all():
        rows.append(
            {
                "year": tranche.year,
                "tranche": tranche,
                "granted": tranche.amount,
                "paid": paid[tranche.year],
                "remaining": tranche.amount - paid[tranche.year],
                "report": reports.get(tranche.year),
            }
        )
    return rows


def convention_context(convention: Convention, user) -> dict:
    rows = year_rows(convention)
    is_staff = roles.has_role(user, roles.STAFF)
    warnings = services.written_agreement_warnings(convention, convention.tranches.all())
    if is_staff and convention.status in {ConventionStatus.DRAFT, ConventionStatus.SIGNED}:
        de_minimis = services.de_minimis_warning(
            convention.beneficiary,
            convention.amount_granted,
            on=convention.signature_date,
            exclude_convention=convention,
            sieg=convention.sieg,
        )
        if de_minimis:
            warnings.append(de_minimis)
    amendments = [
        amendment for amendment in convention.amendments.all() if is_staff or not amendment.is_draft
    ]
    return {
        "amendments": amendments,
        "can_amend": is_staff
        and convention.can_be_amended
        and not any(amendment.is_draft for amendment in amendments),
        "convention": convention,
        "year_rows": rows,
        "totals": {
            "granted": sum((row["granted"] for row in rows), Decimal("0.00")),
            "paid": sum((row["paid"] for row in rows), Decimal("0.00")),
            "remaining": sum((row["remaining"] for row in rows), Decimal("0.00")),
        },
        "payments": list(convention.payments.all()),
        "warnings": warnings,
        "is_staff_view": is_staff,
    }


class ConventionFormMixin:
    template_name = "projects/conventions/convention_form.html"

    def formset(self, convention=None):
        if self.request.method == "POST":
            return TrancheFormSet(self.request.POST, prefix="tranches")
        return TrancheFormSet(prefix="tranches", initial=tranche_initial(convention))

    def render_form(self, form, formset, convention=None):
        return render(
            self.request,
            self.template_name,
            {"form": form, "formset": formset, "convention": convention},
        )


class ConventionCreateView(StaffRequiredMixin, ConventionFormMixin, View):
    def initial(self):
        initial = {"start_year": None}
        project_id = self.request.GET.get("projet", "")
        if project_id.isdigit():
            project = StructuringProject.objects.filter(pk=project_id).first()
            if project:
                initial.update(
                    structuring_project=project,
                    beneficiary=project.carrier,
                    title=project.title,
                    objectives=project.objectives,
                )
        return initial

    def get(self, request):
        return self.render_form(ConventionForm(initial=self.initial()), self.formset())

    def post(self, request):
        form = ConventionForm(request.POST)
        formset = self.formset()
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                convention = services.convention_create(
                    beneficiary=data["beneficiary"],
                    title=data["title"],
                    objectives=data["objectives"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    tranches=formset.specs(),
                    user=request.user,
                    structuring_project=data["structuring_project"],
                    parties=data["parties"],
                    evaluation=data["evaluation"],
                    amount_granted=data["amount_granted"],
                    written_agreement=data["written_agreement"],
                    sieg=data["sieg"],
                    indicators=data["indicators_text"],
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Convention %(reference)s prepared with its payment schedule.")
                    % {"reference": convention.reference},
                )
                for warning in services.written_agreement_warnings(convention):
                    messages.warning(request, warning)
                de_minimis = services.de_minimis_warning(
                    convention.beneficiary,
                    convention.amount_granted,
                    exclude_convention=convention,
                    sieg=convention.sieg,
                )
                if de_minimis:
                    messages.warning(request, de_minimis)
                return redirect(convention)
        return self.render_form(form, formset)


class DeMinimisCheckView(StaffRequiredMixin, View):
    """What the chosen beneficiary received over 3 rolling years (htmx fragment of the form)."""

    def get(self, request):
        from ess_metro.directory.models import Organisation
        from ess_metro.formatting import to_decimal

        organisation = None
        beneficiary = request.GET.get("beneficiary", "")
        if beneficiary.isdigit():
            organisation = Organisation.objects.filter(pk=beneficiary).first()
        amount = to_decimal(request.GET.get("amount_granted", "").replace(",", ".")) or Decimal(0)
        sieg = request.GET.get("sieg", "") in {"on", "true", "1"}
        context = {
            "organisation": organisation,
            "warning": "",
            "received": None,
            "breakdown": None,
            "ceiling": services.de_minimis_ceiling(sieg=sieg),
        }
        if organisation is not None and organisation.is_enterprise:
            breakdown = services.de_minimis_breakdown(organisation)
            context["breakdown"] = breakdown
            context["received"] = breakdown.total
            context["warning"] = services.de_minimis_warning(organisation, amount, sieg=sieg)
        return render(request, "projects/conventions/_de_minimis.html", context)


class ConventionUpdateView(StaffRequiredMixin, ConventionFormMixin, View):
    def get_object(self, pk):
        return get_object_or_404(
            Convention.objects.prefetch_related("tranches", "indicators"), pk=pk
        )

    def get(self, request, pk):
        convention = self.get_object(pk)
        formset = self.formset(convention) if convention.is_draft else None
        return self.render_form(ConventionForm(instance=convention), formset, convention)

    def post(self, request, pk):
        convention = self.get_object(pk)
        form = ConventionForm(request.POST, instance=convention)
        formset = self.formset(convention) if convention.is_draft else None
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = form.cleaned_data
            fields = {
                name: data[name]
                for name in (
                    "title",
                    "structuring_project",
                    "parties",
                    "objectives",
                    "evaluation",
                    "written_agreement",
                    "sieg",
                )
            }
            if convention.is_draft:
                fields.update(
                    beneficiary=data["beneficiary"],
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    amount_granted=data["amount_granted"],
                )
            fields["parties"] = fields["parties"] or services.default_parties(
                fields.get("beneficiary", convention.beneficiary)
            )
            try:
                services.convention_update(
                    convention=Convention.objects.get(pk=convention.pk),
                    user=request.user,
                    tranches=formset.specs() if formset is not None else None,
                    indicators=data["indicators_text"],
                    **fields,
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The convention has been updated."))
                return redirect(convention)
        return self.render_form(form, formset, convention)


class ConventionDetailView(StaffRequiredMixin, DetailView):
    template_name = "projects/conventions/convention_detail.html"

    def get_queryset(self):
        return _convention_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(convention_context(self.object, self.request.user))
        context["log"] = self.object.log.select_related("user")[:50]
        context["transitions"] = [
            (status.value, status.label)
            for status in services.CONVENTION_TRANSITIONS[ConventionStatus(self.object.status)]
        ]
        context["transition_form"] = ConventionTransitionForm(
            initial={"signature_date": self.object.signature_date}
        )
        return context


class ConventionTransitionView(StaffRequiredMixin, View):
    def post(self, request, pk):
        convention = get_object_or_404(Convention, pk=pk)
        form = ConventionTransitionForm(request.POST)
        if not form.is_valid():
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, message)
            return redirect(convention)
        try:
            services.convention_transition(
                convention=convention,
                to_status=form.cleaned_data["to_status"],
                user=request.user,
                comment=form.cleaned_data["comment"],
                signature_date=form.cleaned_data["signature_date"],
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The convention is now “%(status)s”.")
                % {"status": ConventionStatus(form.cleaned_data["to_status"]).label},
            )
        return redirect(convention)


class ConventionScheduleView(StaffRequiredMixin, View):
    """Rebuild the payment schedule from the Métro rule."""

    def post(self, request, pk):
        convention = get_object_or_404(Convention, pk=pk)
        try:
            services.schedule_generate(convention=convention, user=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The payment schedule has been generated from the rule."))
        return redirect(convention)


class BankDetailsView(LoginRequiredMixin, View):
    """Staff or the beneficiary's members give the bank details; only staff see them in full."""

    template_name = "projects/conventions/bank_details_form.html"

    def get_object(self, pk):
        return get_object_or_404(Convention.objects.visible_to(self.request.user), pk=pk)

    def back_url(self, convention):
        if roles.has_role(self.request.user, roles.STAFF):
            return convention.get_absolute_url()
        return convention.get_space_url()

    def render_form(self, form, convention):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "convention": convention,
                "back_url": self.back_url(convention),
                "is_staff_view": roles.has_role(self.request.user, roles.STAFF),
            },
        )

    def get(self, request, pk):
        convention = self.get_object(pk)
        initial = {}
        if roles.has_role(request.user, roles.STAFF):
            initial = {
                "account_holder": convention.account_holder,
                "iban": convention.iban_display,
                "bic": convention.bic,
            }
        return self.render_form(BankDetailsForm(initial=initial), convention)

    def post(self, request, pk):
        convention = self.get_object(pk)
        form = BankDetailsForm(request.POST)
        if form.is_valid():
            services.convention_set_bank_details(
                convention=convention, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The bank details have been recorded."))
            return redirect(self.back_url(convention))
        return self.render_form(form, convention)


class StaffBankDetailsView(StaffRequiredMixin, BankDetailsView):
    """The same form on the staff desk."""


class ConventionPdfView(LoginRequiredMixin, View):
    """The convention ready to sign (a draft carries a watermark)."""

    def get(self, request, pk):
        convention = get_object_or_404(
            _convention_queryset().filter(
                pk__in=Convention.objects.visible_to(request.user).values("pk")
            ),
            pk=pk,
        )
        context = convention_context(convention, request.user)
        context["is_staff_view"] = False  # the document never shows the full IBAN
        pdf = render_pdf("pdf/projects/conventions/convention.html", context, request=request)
        return pdf_response(pdf, f"{convention.reference}.pdf", inline=False)


class StaffConventionPdfView(StaffRequiredMixin, ConventionPdfView):
    """The same document from the staff desk."""


# --- amendments ------------------------------------------------------------------------------


def _amendment_queryset(user):
    return (
        ConventionAmendment.objects.visible_to(user)
        .select_related("convention__beneficiary", "created_by", "signed_by")
        .prefetch_related(
            "tranches__programme_line",
            "convention__tranches__programme_line",
            "convention__payments__tranche",
        )
    )


def amendment_context(amendment: ConventionAmendment) -> dict:
    rows = services.amendment_comparison(amendment)
    before_end = (
        amendment.convention.end_year
        if amendment.is_draft
        else amendment.previous_terms.get("end_year", amendment.end_year)
    )
    return {
        "amendment": amendment,
        "convention": amendment.convention,
        "comparison": rows,
        "before_total": sum((row["before"] for row in rows), Decimal("0.00")),
        "after_total": sum((row["after"] for row in rows), Decimal("0.00")),
        "difference_total": sum((row["difference"] for row in rows), Decimal("0.00")),
        "before_end_year": before_end,
    }


def current_rows(convention: Convention) -> list[dict]:
    """Each year's amount and what is already paid or requested (the amendment's floor)."""
    committed = defaultdict(lambda: Decimal("0.00"))
    for payment in convention.payments.all():
        if payment.status in {PaymentStatus.PAID, PaymentStatus.REQUESTED}:
            committed[payment.tranche.year] += payment.amount
    return [
        {
            "year": tranche.year,
            "line": tranche.programme_line.title,
            "granted": tranche.amount,
            "committed": committed[tranche.year],
        }
        for tranche in convention.tranches.all()
    ]


class AmendmentFormMixin:
    template_name = "projects/conventions/amendment_form.html"

    def formset(self, initial):
        if self.request.method == "POST":
            return TrancheFormSet(self.request.POST, prefix="tranches")
        return TrancheFormSet(prefix="tranches", initial=initial)

    def render_form(self, form, formset, convention, amendment=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "convention": convention,
                "amendment": amendment,
                "current_rows": current_rows(convention),
            },
        )

    def save(self, form, formset, convention, amendment=None):
        data = form.cleaned_data
        kwargs = {
            "user": self.request.user,
            "reason": data["reason"],
            "end_year": data["end_year"],
            "objectives": data["objectives"],
            "tranches": formset.specs(),
        }
        try:
            if amendment is None:
                amendment = services.convention_amend(convention=convention, **kwargs)
            else:
                amendment = services.amendment_update(amendment=amendment, **kwargs)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
            return self.render_form(form, formset, convention, amendment)
        messages.success(
            self.request,
            _("%(amendment)s is ready: check the changes, then record its signature.")
            % {"amendment": amendment.label},
        )
        return redirect(amendment)


class AmendmentCreateView(StaffRequiredMixin, AmendmentFormMixin, View):
    def get_convention(self, pk):
        return get_object_or_404(_convention_queryset(), pk=pk)

    def get(self, request, pk):
        convention = self.get_convention(pk)
        if not convention.can_be_amended:
            messages.error(request, _("Only a signed or running convention can be amended."))
            return redirect(convention)
        form = AmendmentForm(convention=convention, initial={"end_year": convention.end_year})
        formset = self.formset(amendment_tranche_initial(convention=convention))
        return self.render_form(form, formset, convention)

    def post(self, request, pk):
        convention = self.get_convention(pk)
        form = AmendmentForm(request.POST, convention=convention)
        formset = self.formset(None)
        if form.is_valid() and formset.is_valid():
            return self.save(form, formset, convention)
        return self.render_form(form, formset, convention)


class AmendmentUpdateView(StaffRequiredMixin, AmendmentFormMixin, View):
    def get_object(self, pk):
        amendment = get_object_or_404(_amendment_queryset(self.request.user), pk=pk)
        if not amendment.is_draft:
            raise Http404
        amendment.convention = _convention_queryset().get(pk=amendment.convention_id)
        return amendment

    def get(self, request, pk):
        amendment = self.get_object(pk)
        form = AmendmentForm(
            convention=amendment.convention,
            initial={
                "reason": amendment.reason,
                "end_year": amendment.end_year,
                "objectives": amendment.objectives,
            },
        )
        formset = self.formset(amendment_tranche_initial(amendment=amendment))
        return self.render_form(form, formset, amendment.convention, amendment)

    def post(self, request, pk):
        amendment = self.get_object(pk)
        form = AmendmentForm(request.POST, convention=amendment.convention)
        formset = self.formset(None)
        if form.is_valid() and formset.is_valid():
            return self.save(form, formset, amendment.convention, amendment)
        return self.render_form(form, formset, amendment.convention, amendment)


class AmendmentDetailView(StaffRequiredMixin, View):
    """Before and after, year by year; the signature of a draft."""

    template_name = "projects/conventions/amendment_detail.html"

    def render_page(self, amendment, form):
        context = amendment_context(amendment)
        context.update(
            form=form,
            warnings=services.amendment_warnings(amendment) if amendment.is_draft else [],
            payment_preview=(
                services.amendment_payment_preview(amendment) if amendment.is_draft else []
            ),
        )
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        amendment = get_object_or_404(_amendment_queryset(request.user), pk=pk)
        return self.render_page(amendment, AmendmentSignForm())


class AmendmentSignView(AmendmentDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        amendment = get_object_or_404(_amendment_queryset(request.user), pk=pk)
        form = AmendmentSignForm(request.POST)
        if form.is_valid():
            try:
                signed = services.amendment_sign(
                    amendment=amendment,
                    user=request.user,
                    signature_date=form.cleaned_data["signature_date"],
                )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("%(amendment)s is signed: the convention and its payments are updated.")
                    % {"amendment": signed.label},
                )
                for warning in signed.warnings:
                    messages.warning(request, warning)
                return redirect(signed.convention)
        return self.render_page(amendment, form)


class AmendmentDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk):
        amendment = get_object_or_404(_amendment_queryset(request.user), pk=pk)
        convention = amendment.convention
        try:
            services.amendment_delete(amendment=amendment, user=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
            return redirect(amendment)
        messages.success(request, _("The draft amendment has been abandoned."))
        return redirect(convention)


class AmendmentPdfView(LoginRequiredMixin, View):
    """The amendment ready to sign (a draft carries a watermark); beneficiaries get signed ones."""

    def get(self, request, pk):
        amendment = get_object_or_404(_amendment_queryset(request.user), pk=pk)
        pdf = render_pdf(
            "pdf/projects/conventions/amendment.html", amendment_context(amendment), request=request
        )
        filename = f"{amendment.convention.reference}-avenant-{amendment.number}.pdf"
        return pdf_response(pdf, filename, inline=False)


class StaffAmendmentPdfView(StaffRequiredMixin, AmendmentPdfView):
    """The same document from the staff desk."""


# --- payments --------------------------------------------------------------------------------


class PaymentListView(StaffRequiredMixin, ListView):
    template_name = "projects/conventions/payment_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Payment.objects.for_list().order_by("due_date", "pk")
        status = self.request.GET.get("statut", "")
        if status in PaymentStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=PaymentStatus.choices, selected_status=self.request.GET.get("statut", "")
        )
        return context


class PaymentFormView(StaffRequiredMixin, View):
    template_name = "projects/conventions/payment_form.html"

    def render_form(self, form, convention, payment=None):
        return render(
            self.request,
            self.template_name,
            {"form": form, "convention": convention, "payment": payment},
        )

    def save(self, form, convention, payment=None):
        try:
            services.payment_save(payment=form.instance, user=self.request.user)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
            return self.render_form(form, convention, payment)
        messages.success(self.request, _("The payment schedule has been updated."))
        return redirect(convention)


class PaymentCreateView(PaymentFormView):
    def get(self, request, pk):
        convention = get_object_or_404(Convention, pk=pk)
        form = PaymentForm(convention=convention, initial={"kind": PaymentKind.OTHER})
        return self.render_form(form, convention)

    def post(self, request, pk):
        convention = get_object_or_404(Convention, pk=pk)
        form = PaymentForm(request.POST, convention=convention)
        if form.is_valid():
            return self.save(form, convention)
        return self.render_form(form, convention)


class PaymentUpdateView(PaymentFormView):
    def get_object(self, pk):
        return get_object_or_404(Payment.objects.select_related("convention", "tranche"), pk=pk)

    def get(self, request, pk):
        payment = self.get_object(pk)
        form = PaymentForm(instance=payment, convention=payment.convention)
        return self.render_form(form, payment.convention, payment)

    def post(self, request, pk):
        payment = self.get_object(pk)
        form = PaymentForm(request.POST, instance=payment, convention=payment.convention)
        if form.is_valid():
            return self.save(form, payment.convention, payment)
        return self.render_form(form, payment.convention, payment)


class PaymentDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk):
        payment = get_object_or_404(Payment.objects.select_related("convention"), pk=pk)
        try:
            services.payment_delete(payment=payment, user=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The payment has been removed from the schedule."))
        return redirect(payment.convention)


class PaymentTransitionView(StaffRequiredMixin, View):
    """Request a payment from accounting, record it as paid, or cancel it."""

    template_name = "projects/conventions/payment_pay.html"

    def get_object(self, pk):
        return get_object_or_404(
            Payment.objects.select_related("convention__beneficiary", "tranche", "report"), pk=pk
        )

    def get(self, request, pk):
        payment = self.get_object(pk)
        return render(request, self.template_name, {"payment": payment, "form": PaymentPayForm()})

    def post(self, request, pk):
        payment = self.get_object(pk)
        to_status = request.POST.get("to_status", "")
        if to_status not in PaymentStatus.values:
            raise Http404
        kwargs = {}
        if to_status == PaymentStatus.PAID:
            form = PaymentPayForm(request.POST)
            if not form.is_valid():
                return render(request, self.template_name, {"payment": payment, "form": form})
            kwargs = form.cleaned_data
        try:
            services.payment_transition(
                payment=payment,
                to_status=to_status,
                user=request.user,
                comment=request.POST.get("comment", ""),
                **kwargs,
            )
        except ValidationError as error:
            if to_status == PaymentStatus.PAID:
                form.add_error(None, error)
                return render(request, self.template_name, {"payment": payment, "form": form})
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The payment is now “%(status)s”.") % {"status": PaymentStatus(to_status).label},
            )
        return redirect(payment.convention)


# --- reports ---------------------------------------------------------------------------------


def _report_queryset(user):
    return (
        Report.objects.visible_to(user)
        .select_related("convention__beneficiary", "submitted_by")
        .prefetch_related("attachments", "indicator_values__indicator", "convention__indicators")
    )


class ReportReviewView(StaffRequiredMixin, View):
    template_name = "projects/conventions/report_review.html"

    def render_page(self, report, form):
        return render(
            self.request,
            self.template_name,
            {
                "report": report,
                "form": form,
                "log": report.log.select_related("user"),
                "can_review": report.status == ReportStatus.SUBMITTED,
            },
        )

    def get(self, request, pk):
        report = get_object_or_404(_report_queryset(request.user), pk=pk)
        return self.render_page(report, ReportReviewForm())

    def post(self, request, pk):
        report = get_object_or_404(_report_queryset(request.user), pk=pk)
        form = ReportReviewForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.report_review(
                    report=report,
                    user=request.user,
                    approve=approve,
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The report has been approved.")
                    if approve
                    else _("The beneficiary has been asked for more."),
                )
                return redirect(report.convention)
        return self.render_page(report, form)


# --- beneficiary space -----------------------------------------------------------------------


class SpaceConventionListView(LoginRequiredMixin, ListView):
    template_name = "projects/conventions/space_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Convention.objects.visible_to(self.request.user)
            .for_list()
            .with_totals()
            .order_by("-start_year", "reference")
        )


class SpaceConventionDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/conventions/convention_detail.html"

    def get_queryset(self):
        return _convention_queryset().filter(
            pk__in=Convention.objects.visible_to(self.request.user).values("pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(convention_context(self.object, self.request.user))
        context["is_staff_view"] = False
        context["log"] = []
        context["transitions"] = []
        context["transition_form"] = None
        return context


class SpaceReportSubmitView(LoginRequiredMixin, View):
    template_name = "projects/conventions/report_form.html"

    def render_form(self, report, form):
        last_request = (
            report.log.filter(to_status=ReportStatus.MORE_REQUESTED).order_by("-at", "-pk").first()
        )
        return render(
            self.request,
            self.template_name,
            {
                "report": report,
                "form": form,
                "more_requested": (
                    last_request if report.status == ReportStatus.MORE_REQUESTED else None
                ),
            },
        )

    def get_object(self, pk):
        return get_object_or_404(_report_queryset(self.request.user), pk=pk)

    def get(self, request, pk):
        report = self.get_object(pk)
        form = ReportForm(
            report=report,
            initial={
                "activity_report": report.activity_report,
                "financial_report": report.financial_report,
                "expenses": report.expenses,
            },
        )
        return self.render_form(report, form)

    def post(self, request, pk):
        report = self.get_object(pk)
        form = ReportForm(request.POST, request.FILES, report=report)
        if form.is_valid():
            try:
                services.report_submit(
                    report=report,
                    user=request.user,
                    activity_report=form.cleaned_data["activity_report"],
                    financial_report=form.cleaned_data["financial_report"],
                    expenses=form.cleaned_data["expenses"],
                    indicator_values=form.indicator_values(),
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your report has been submitted. The Métro will review it.")
                )
                return redirect(report.convention.get_space_url())
        return self.render_form(report, form)


class ReportAttachmentView(LoginRequiredMixin, View):
    """A report's document, for staff and the beneficiary's members only."""

    def get(self, request, pk):
        attachment = get_object_or_404(
            ReportAttachment.objects.filter(
                report__in=Report.objects.visible_to(request.user).values("pk")
            ),
            pk=pk,
        )
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
