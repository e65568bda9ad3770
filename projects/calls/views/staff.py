"""Staff pages: calls (create, edit, publish, close) and the instruction of applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from ess_metro.accounts import roles
from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.exports import csv_response, xlsx_response
from ess_metro.pdf import pdf_response, render_pdf
from projects.calls import services
from projects.calls.filters import ApplicationFilter
from projects.calls.forms import (
    CallForm,
    CommentForm,
    CommitteeOpinionForm,
    CriterionFormSet,
    DecisionForm,
    DiagnosisForm,
    EligibilityForm,
    MessageForm,
    RequiredDocumentFormSet,
)
from projects.calls.totals import envelope_totals
from projects.models import Application, ApplicationStatus, Call

S = ApplicationStatus


# --- Calls -----------------------------------------------------------------------------------


class StaffCallListView(StaffRequiredMixin, ListView):
    template_name = "projects/calls/staff_call_list.html"
    context_object_name = "calls"
    paginate_by = 30

    def get_queryset(self):
        return Call.objects.annotate(application_count=Count("applications")).order_by(
            "-year", "-opens_at"
        )


class StaffCallFormView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_call_form.html"

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(Call, pk=self.kwargs["pk"])
        return None

    def render_forms(self, form, criteria, documents):
        return render(
            self.request,
            self.template_name,
            {"form": form, "criteria": criteria, "documents": documents, "call": self.object},
        )

    def get(self, request, pk=None):
        self.object = self.get_object()
        initial = {} if self.object else {"year": timezone.localdate().year, "min_communes": 2}
        return self.render_forms(
            CallForm(instance=self.object, initial=initial),
            CriterionFormSet(instance=self.object, prefix="criteria"),
            RequiredDocumentFormSet(instance=self.object, prefix="documents"),
        )

    def post(self, request, pk=None):
        self.object = self.get_object()
        form = CallForm(request.POST, instance=self.object)
        instance = form.instance
        criteria = CriterionFormSet(request.POST, instance=instance, prefix="criteria")
        documents = RequiredDocumentFormSet(request.POST, instance=instance, prefix="documents")
        if not (form.is_valid() and criteria.is_valid() and documents.is_valid()):
            return self.render_forms(form, criteria, documents)
        with transaction.atomic():
            call = form.save()
            criteria.instance = call
            documents.instance = call
            criteria.save()
            documents.save()
        messages.success(request, _("The call has been saved."))
        return redirect(call.get_staff_url())


class StaffCallDetailView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_call_detail.html"

    def get(self, request, pk):
        call = get_object_or_404(
            Call.objects.prefetch_related("criteria", "required_documents").select_related(
                "programme_line__programme"
            ),
            pk=pk,
        )
        by_status = dict(call.applications.values_list("status").annotate(n=Count("pk")).order_by())
        return render(
            request,
            self.template_name,
            {
                "call": call,
                "totals": envelope_totals(call),
                "by_status": [(label, by_status.get(value, 0)) for value, label in S.choices],
                "publication_problems": call.publication_errors() if not call.is_published else [],
            },
        )


class StaffCallPublishView(StaffRequiredMixin, View):
    def post(self, request, pk):
        call = get_object_or_404(Call, pk=pk)
        try:
            services.call_publish(call=call, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The call is published."))
        return redirect(call.get_staff_url())


class StaffCallCloseView(StaffRequiredMixin, View):
    def post(self, request, pk):
        call = get_object_or_404(Call, pk=pk)
        try:
            services.call_close(call=call, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The call is closed."))
        return redirect(call.get_staff_url())


# --- Applications ----------------------------------------------------------------------------


def filtered_applications(request):
    """The list staff work on; drafts stay the applicant's until submitted or asked for."""
    queryset = Application.objects.for_list().order_by("-submitted_at", "-created_at")
    if not request.GET.get("status"):
        queryset = queryset.exclude(status=S.DRAFT)
    return ApplicationFilter(request.GET or None, queryset=queryset)


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


def export_rows(queryset):
    for application in queryset:
        communes = (
            _("Whole agglomeration")
            if application.whole_agglomeration
            else ", ".join(commune.name for commune in application.communes.all())
        )
        yield [
            application.reference or "",
            application.call.title,
            application.title,
            application.organisation.name,
            application.organisation.get_legal_form_display(),
            application.get_status_display(),
            communes,
            ", ".join(partner.name for partner in application.partner_organisations.all()),
            application.partners,
            application.requested_amount,
            application.granted_amount,
            application.submitted_at,
            application.decision_date,
        ]


class StaffApplicationListView(StaffRequiredMixin, ListView):
    template_name = "projects/calls/staff_application_list.html"
    context_object_name = "applications"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = filtered_applications(self.request)
        return self.filterset.qs

    def get_template_names(self):
        if self.request.htmx:
            return ["projects/calls/_application_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["query_string"] = self.request.GET.urlencode()
        return context

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            queryset = filtered_applications(request).qs.prefetch_related(
                "communes", "partner_organisations"
            )
            headers = [str(header) for header in EXPORT_HEADERS]
            stamp = timezone.localdate().isoformat()
            if export == "csv":
                return csv_response(f"dossiers-{stamp}.csv", headers, export_rows(queryset))
            return xlsx_response(
                f"dossiers-{stamp}.xlsx", _("Applications"), headers, export_rows(queryset)
            )
        return super().get(request, *args, **kwargs)


def staff_application(pk):
    return get_object_or_404(
        Application.objects.for_list()
        .select_related("created_by", "diagnosis", "convention")
        .prefetch_related("communes", "budget_lines", "partner_organisations"),
        pk=pk,
    )


def staff_detail_context(application):
    call = application.call
    criteria = list(call.criteria.all())
    diagnosis = getattr(application, "diagnosis", None)
    scores = {}
    if diagnosis is not None:
        scores = {score.criterion_id: score for score in diagnosis.scores.all()}
    return {
        "application": application,
        "call": call,
        "attachments": application.attachments.select_related("required_document"),
        "thread": application.messages.select_related("author"),
        "history": application.transitions.select_related("user"),
        "diagnosis": diagnosis,
        "criteria_scores": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
        "weighted_total": (
            diagnosis.weighted_total(criteria, {k: v.score for k, v in scores.items()})
            if diagnosis
            else None
        ),
        "checks": services.application_check(application) if application.submitted_at else {},
    }


class StaffApplicationDetailView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_application_detail.html"

    def get(self, request, pk):
        application = staff_application(pk)
        context = staff_detail_context(application)
        context.update(
            {
                "message_form": MessageForm(),
                "comment_form": CommentForm(),
                "eligibility_form": EligibilityForm(),
                "opinion_form": CommitteeOpinionForm(initial={"date": timezone.localdate()}),
                "S": {status.name: status.value for status in S},
            }
        )
        return render(request, self.template_name, context)


class StaffApplicationPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        application = staff_application(pk)
        context = staff_detail_context(application)
        context["communes"] = list(application.communes.all())
        context["generated_at"] = timezone.now()
        pdf = render_pdf("pdf/projects/calls/application_file.html", context)
        name = application.reference or f"brouillon-{application.pk}"
        return pdf_response(pdf, f"dossier-{name}.pdf")


class StaffActionView(StaffRequiredMixin, View):
    """Base for the forms of the instruction; a bad input re-renders the file page."""

    form_class = None
    form_name = ""

    def post(self, request, pk):
        application = staff_application(pk)
        form = self.make_form(application, request.POST)
        if form.is_valid():
            try:
                self.act(application, form)
            except services.TransitionError as error:
                messages.error(request, str(error))
            return redirect(application.get_staff_url())
        return self.render_invalid(application, form)

    def make_form(self, application, data):
        return self.form_class(data)

    def render_invalid(self, application, form):
        context = staff_detail_context(application)
        context.update(
            {
                "message_form": MessageForm(),
                "comment_form": CommentForm(),
                "eligibility_form": EligibilityForm(),
                "opinion_form": CommitteeOpinionForm(),
                "S": {status.name: status.value for status in S},
            }
        )
        context[self.form_name] = form
        messages.error(self.request, _("Please correct the errors below."))
        return render(
            self.request, "projects/calls/staff_application_detail.html", context, status=422
        )


class StaffRequestDocumentsView(StaffActionView):
    form_class = CommentForm
    form_name = "comment_form"

    def act(self, application, form):
        services.application_request_documents(
            application=application, user=self.request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(self.request, _("The applicant has been asked for documents."))


class StaffEligibilityView(StaffActionView):
    form_class = EligibilityForm
    form_name = "eligibility_form"

    def act(self, application, form):
        services.application_set_eligibility(
            application=application,
            user=self.request.user,
            eligible=form.cleaned_data["eligible"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(self.request, _("The eligibility has been recorded."))


class StaffCommitteeOpinionView(StaffActionView):
    form_class = CommitteeOpinionForm
    form_name = "opinion_form"

    def act(self, application, form):
        services.committee_opinion_record(
            application=application, user=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("The committee opinion has been recorded."))


class StaffDiagnosisView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_diagnosis.html"

    def dispatch(self, request, *args, **kwargs):
        if roles.has_role(request.user, roles.STAFF):
            self.application = staff_application(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return DiagnosisForm(
            data,
            instance=getattr(self.application, "diagnosis", None),
            application=self.application,
        )

    def get(self, request, pk):
        return self.render_form(self.form())

    def render_form(self, form, status=200):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"application": self.application, "form": form},
            status=status,
        )

    def post(self, request, pk):
        if self.application.status not in (S.ELIGIBLE, S.DIAGNOSED, S.COMMITTEE_OPINION):
            messages.error(request, _("The diagnosis is made once the file is eligible."))
            return redirect(self.application.get_staff_url())
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=422)
        services.diagnosis_save(
            application=self.application,
            user=request.user,
            data=form.model_data(),
            scores=form.scores(),
        )
        if "complete" in request.POST and self.application.status == S.ELIGIBLE:
            try:
                services.diagnosis_complete(application=self.application, user=request.user)
            except services.TransitionError as error:
                messages.error(request, str(error))
                return redirect("projects:staff_diagnosis", pk=pk)
            messages.success(request, _("The diagnosis is complete."))
        else:
            messages.success(request, _("The diagnosis has been saved."))
        return redirect(self.application.get_staff_url())


class StaffDecisionView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_decision.html"

    def dispatch(self, request, *args, **kwargs):
        if roles.has_role(request.user, roles.STAFF):
            self.application = staff_application(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"application": self.application, "form": form},
            status=status,
        )

    def get(self, request, pk):
        diagnosis = getattr(self.application, "diagnosis", None)
        initial = {
            "decision_date": timezone.localdate(),
            "granted_amount": diagnosis.proposed_amount if diagnosis else None,
        }
        return self.render_form(DecisionForm(initial=initial, application=self.application))

    def post(self, request, pk):
        form = DecisionForm(request.POST, application=self.application)
        if not form.is_valid():
            return self.render_form(form, status=422)
        data = dict(form.cleaned_data)
        try:
            services.decision_record(
                application=self.application,
                user=request.user,
                granted=data.pop("outcome") == "granted",
                data=data,
            )
        except services.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The decision has been recorded and the applicant told."))
        return redirect(self.application.get_staff_url())


class StaffPrepareConventionView(StaffRequiredMixin, View):
    """From a granted file to a draft convention, completed in the conventions part."""

    def post(self, request, pk):
        application = get_object_or_404(Application, pk=pk)
        try:
            convention = services.application_prepare_convention(
                application=application, user=request.user
            )
        except (services.TransitionError, ValidationError) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
            return redirect(application.get_staff_url())
        messages.success(
            request, _("A draft convention has been prepared: check it and complete it.")
        )
        return redirect(convention.get_absolute_url())
