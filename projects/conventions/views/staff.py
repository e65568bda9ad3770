"""The staff desk of structuring projects, conventions, payments, reports and amendments
(/gestion/…). Views are thin: they parse, call one selector or service, and render; every
POST-only action is a ``ServiceActionView``."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from ess_metro import workflow
from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.actions import ServiceActionView, add_service_error
from ess_metro.formatting import to_decimal
from ess_metro.pagination import DeferredJoinPaginator
from ess_metro.params import parse_id
from projects.conventions import selectors, services
from projects.conventions.forms import (
    AmendmentForm,
    AmendmentSignForm,
    ConventionForm,
    ConventionTransitionForm,
    PaymentForm,
    PaymentPayForm,
    ReportReviewForm,
    StructuringProjectForm,
    TrancheFormSet,
    amendment_tranche_initial,
    tranche_initial,
)
from projects.conventions.models import (
    CONVENTION_STATUSES_FOR_FILTER,
    Convention,
    ConventionStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProjectTheme,
    StructuringProject,
    StructuringProjectStatus,
)
from projects.conventions.views.space import AmendmentPdfView, BankDetailsView, ConventionPdfView

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


class StructuringProjectFormMixin:
    template_name = "projects/conventions/project_form.html"
    form_class = StructuringProjectForm
    success_message = ""

    def form_valid(self, form):
        self.object = services.structuring_project_save(form=form, user=self.request.user)
        messages.success(self.request, self.success_message)
        return redirect(self.object)


class StructuringProjectCreateView(StaffRequiredMixin, StructuringProjectFormMixin, CreateView):
    success_message = gettext_lazy("The structuring project has been recorded.")


class StructuringProjectUpdateView(StaffRequiredMixin, StructuringProjectFormMixin, UpdateView):
    context_object_name = "project"
    queryset = StructuringProject.objects.all()
    success_message = gettext_lazy("The structuring project has been updated.")


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
        context["history"] = list(self.object.transitions.select_related("user"))
        return context


# --- conventions -----------------------------------------------------------------------------


class ConventionDashboardView(StaffRequiredMixin, ListView):
    """Every convention, with what needs doing: late reports, reports to review, payments due."""

    template_name = "projects/conventions/dashboard.html"
    paginate_by = 50
    paginator_class = DeferredJoinPaginator

    def get_template_names(self):
        if self.request.htmx:
            return ["projects/conventions/_convention_table.html"]
        return [self.template_name]

    def get_queryset(self):
        queryset = Convention.objects.for_list().with_totals().order_by("-start_year", "reference")
        status = self.request.GET.get("statut", "")
        if status in ConventionStatus.values:
            queryset = queryset.filter(status=status)
        return selectors.convention_search(queryset, self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:
            context.update(selectors.staff_dashboard_data().as_context())
        context.update(
            statuses=CONVENTION_STATUSES_FOR_FILTER,
            selected_status=self.request.GET.get("statut", ""),
            query=self.request.GET.get("q", ""),
        )
        return context


class ConventionFormMixin:
    template_name = "projects/conventions/convention_form.html"

    def formset(self, convention=None):
        if self.request.method == "POST":
            return TrancheFormSet(self.request.POST, prefix="tranches")
        return TrancheFormSet(prefix="tranches", initial=tranche_initial(convention))

    def render_form(self, form, formset, convention=None):
        context = {"form": form, "formset": formset, "convention": convention}
        return render(self.request, self.template_name, context)


CONVENTION_FIELDS = (
    "title",
    "structuring_project",
    "parties",
    "objectives",
    "evaluation",
    "written_agreement",
    "sieg",
)
DRAFT_FIELDS = ("beneficiary", "start_year", "end_year", "amount_granted")


class ConventionCreateView(StaffRequiredMixin, ConventionFormMixin, View):
    def initial(self):
        initial = {"start_year": None}
        project_id = parse_id(self.request.GET.get("projet"))
        project = StructuringProject.objects.filter(pk=project_id).first() if project_id else None
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
                    **{name: data[name] for name in (*CONVENTION_FIELDS, *DRAFT_FIELDS)},
                    tranches=formset.specs(),
                    indicators=data["indicators_text"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return self.created(convention)
        return self.render_form(form, formset)

    def created(self, convention):
        messages.success(
            self.request,
            _("Convention %(reference)s prepared with its payment schedule.")
            % {"reference": convention.reference},
        )
        # The convention's page shows its warnings: no message repeats them.
        return redirect(convention)


class DeMinimisCheckView(StaffRequiredMixin, View):
    """What the chosen beneficiary received over 3 rolling years (htmx fragment of the form)."""

    def get(self, request):
        from ess_metro.directory.models import Organisation

        beneficiary = parse_id(request.GET.get("beneficiary"))
        organisation = Organisation.objects.filter(pk=beneficiary).first() if beneficiary else None
        amount = to_decimal(request.GET.get("amount_granted", "").replace(",", ".")) or Decimal(0)
        sieg = request.GET.get("sieg", "") in {"on", "true", "1"}
        check = selectors.de_minimis_check(organisation, amount, sieg=sieg)
        return render(request, "projects/conventions/_de_minimis.html", check.as_context())


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
            try:
                services.convention_update(
                    convention=Convention.objects.get(pk=convention.pk),
                    user=request.user,
                    tranches=formset.specs() if formset is not None else None,
                    indicators=form.cleaned_data["indicators_text"],
                    **self.fields(convention, form.cleaned_data),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The convention has been updated."))
                return redirect(convention)
        return self.render_form(form, formset, convention)

    def fields(self, convention, data) -> dict:
        """The fields staff may change: the years and amounts only while it is a draft."""
        names = (*CONVENTION_FIELDS, *DRAFT_FIELDS) if convention.is_draft else CONVENTION_FIELDS
        fields = {name: data[name] for name in names}
        fields["parties"] = fields["parties"] or services.default_parties(
            fields.get("beneficiary", convention.beneficiary)
        )
        return fields


class ConventionDetailView(StaffRequiredMixin, DetailView):
    template_name = "projects/conventions/convention_detail.html"

    def get_queryset(self):
        return selectors.convention_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.convention_page(self.object, staff=True).as_context())
        context["transitions"] = workflow.actions_for(self.object, self.request.user)
        context["transition_form"] = ConventionTransitionForm(
            initial={"signature_date": self.object.signature_date}
        )
        return context


class ConventionActionView(StaffRequiredMixin, ServiceActionView):
    def get_queryset(self):
        return Convention.objects.all()


class ConventionTransitionView(ConventionActionView):
    """Sign, start, close or terminate a convention (``Convention``'s transitions)."""

    form_class = ConventionTransitionForm

    def perform(self, convention, data):
        return services.convention_transition(convention=convention, user=self.request.user, **data)

    def get_success_message(self, convention):
        return _("The convention is now “%(status)s”.") % {
            "status": convention.get_status_display()
        }


class ConventionScheduleView(ConventionActionView):
    """Rebuild the payment schedule from the Métro rule."""

    success_message = gettext_lazy("The payment schedule has been generated from the rule.")

    def perform(self, convention, data):
        services.schedule_generate(convention=convention, user=self.request.user)


class StaffBankDetailsView(StaffRequiredMixin, BankDetailsView):
    """The same form on the staff desk."""


class ConventionConfirmBankDetailsView(ConventionActionView):
    """Another member of staff confirms new bank details: the payments may go ahead."""

    success_message = gettext_lazy("The new bank details are confirmed: payments may go ahead.")

    def perform(self, convention, data):
        return services.convention_confirm_bank_details(
            convention=convention, user=self.request.user
        )


class StaffConventionPdfView(StaffRequiredMixin, ConventionPdfView):
    """The same document from the staff desk."""


# --- amendments ------------------------------------------------------------------------------


class AmendmentFormMixin:
    template_name = "projects/conventions/amendment_form.html"

    def formset(self, initial):
        if self.request.method == "POST":
            return TrancheFormSet(self.request.POST, prefix="tranches")
        return TrancheFormSet(prefix="tranches", initial=initial)

    def render_form(self, form, formset, convention, amendment=None):
        context = {
            "form": form,
            "formset": formset,
            "convention": convention,
            "amendment": amendment,
            "current_rows": selectors.current_rows(convention),
        }
        return render(self.request, self.template_name, context)

    def save(self, form, formset, convention, amendment=None):
        data = form.cleaned_data
        kwargs = {name: data[name] for name in ("reason", "end_year", "objectives")}
        kwargs.update(user=self.request.user, tranches=formset.specs())
        try:
            if amendment is None:
                amendment = services.convention_amend(convention=convention, **kwargs)
            else:
                amendment = services.amendment_update(amendment=amendment, **kwargs)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_form(form, formset, convention, amendment)
        messages.success(
            self.request,
            _("Amendment no. %(number)s is ready: check the changes, then record its signature.")
            % {"number": amendment.number},
        )
        return redirect(amendment)


class AmendmentCreateView(StaffRequiredMixin, AmendmentFormMixin, View):
    def get_convention(self, pk):
        return get_object_or_404(selectors.convention_queryset(), pk=pk)

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
        amendment = get_object_or_404(selectors.amendment_queryset(self.request.user), pk=pk)
        if not amendment.is_draft:
            raise Http404
        amendment.convention = selectors.convention_queryset().get(pk=amendment.convention_id)
        return amendment

    def get(self, request, pk):
        amendment = self.get_object(pk)
        form = AmendmentForm(
            convention=amendment.convention,
            initial={
                name: getattr(amendment, name) for name in ("reason", "end_year", "objectives")
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

    def get(self, request, pk):
        amendment = get_object_or_404(selectors.amendment_queryset(request.user), pk=pk)
        context = selectors.amendment_page(amendment, preview=True).as_context()
        return render(request, self.template_name, {**context, "form": AmendmentSignForm()})


class AmendmentActionView(StaffRequiredMixin, ServiceActionView):
    def get_queryset(self):
        return selectors.amendment_queryset(self.request.user)


class AmendmentSignView(AmendmentActionView):
    """Record the signature (``ConventionAmendment.sign``): the convention is amended."""

    form_class = AmendmentSignForm
    template_name = "projects/conventions/amendment_detail.html"

    def get_context_data(self, **kwargs):
        return {**selectors.amendment_page(self.object, preview=True).as_context(), **kwargs}

    def perform(self, amendment, data):
        return services.amendment_sign(amendment=amendment, user=self.request.user, **data)

    def get_success_message(self, signed):
        for warning in signed.warnings:
            messages.warning(self.request, warning)
        return _("%(amendment)s is signed: the convention and its payments are updated.") % {
            "amendment": signed.label
        }

    def get_success_url(self, signed):
        return signed.convention.get_absolute_url()


class AmendmentDeleteView(AmendmentActionView):
    success_message = gettext_lazy("The draft amendment has been abandoned.")

    def perform(self, amendment, data):
        services.amendment_delete(amendment=amendment, user=self.request.user)
        return amendment.convention


class StaffAmendmentPdfView(StaffRequiredMixin, AmendmentPdfView):
    """The same document from the staff desk."""


# --- payments --------------------------------------------------------------------------------


class PaymentListView(StaffRequiredMixin, ListView):
    template_name = "projects/conventions/payment_list.html"
    paginate_by = 50
    paginator_class = DeferredJoinPaginator

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
        context = {"form": form, "convention": convention, "payment": payment}
        return render(self.request, self.template_name, context)

    def save(self, form, convention, payment=None):
        try:
            services.payment_save(payment=form.instance, user=self.request.user)
        except ValidationError as error:
            add_service_error(form, error)
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


class PaymentActionView(StaffRequiredMixin, ServiceActionView):
    """An action on a payment, back to its convention's page."""

    def get_queryset(self):
        return Payment.objects.select_related("convention__beneficiary", "tranche", "report")

    def get_success_url(self, result):
        return self.object.convention.get_absolute_url()

    def get_failure_url(self):
        return self.object.convention.get_absolute_url()


class PaymentDeleteView(PaymentActionView):
    success_message = gettext_lazy("The payment has been removed from the schedule.")

    def perform(self, payment, data):
        services.payment_delete(payment=payment, user=self.request.user)


class PaymentTransitionView(PaymentActionView):
    """Request a payment from accounting, record it as paid (the form of the GET), or cancel
    it (``Payment``'s transitions)."""

    http_method_names = ["get", "post"]
    template_name = "projects/conventions/payment_pay.html"

    def get(self, request, pk):
        self.object = self.get_object()
        return render(request, self.template_name, self.get_context_data(form=PaymentPayForm()))

    def get_context_data(self, **kwargs):
        return {"payment": self.object, **kwargs}

    def to_status(self) -> str:
        to_status = self.request.POST.get("to_status", "")
        if to_status not in PaymentStatus.values:
            raise Http404
        return to_status

    def get_form(self):
        if self.to_status() == PaymentStatus.PAID:
            return PaymentPayForm(**self.get_form_kwargs())
        return None

    def perform(self, payment, data):
        return services.payment_transition(
            payment=payment,
            to_status=self.to_status(),
            user=self.request.user,
            comment=self.request.POST.get("comment", ""),
            **data,
        )

    def get_success_message(self, payment):
        return _("The payment is now “%(status)s”.") % {"status": payment.get_status_display()}


# --- reports ---------------------------------------------------------------------------------


class ReportReviewView(StaffRequiredMixin, View):
    """A submitted report, and the decision on it (``Report.approve`` or ``request_more``)."""

    template_name = "projects/conventions/report_review.html"

    def render_page(self, report, form):
        context = {
            "report": report,
            "form": form,
            "log": report.log.select_related("user"),
            "can_review": workflow.can(report, "approve", self.request.user),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        report = get_object_or_404(selectors.report_queryset(request.user), pk=pk)
        return self.render_page(report, ReportReviewForm())

    def post(self, request, pk):
        report = get_object_or_404(selectors.report_queryset(request.user), pk=pk)
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
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The report has been approved.")
                    if approve
                    else _("The beneficiary has been asked for more."),
                )
                return redirect(report.convention)
        return self.render_page(report, form)
