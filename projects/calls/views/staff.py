"""Staff pages: calls (create, edit, publish, close) and the instruction of applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from ess_metro import export_jobs, pagecache
from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.actions import ServiceActionView
from ess_metro.exports import csv_response, xlsx_response
from ess_metro.pagination import DeferredJoinPaginator
from ess_metro.pdf import pdf_response, render_pdf
from projects.calls import exports, selectors, services
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
from projects.models import Application, ApplicationStatus, Call

S = ApplicationStatus

# --- Calls -----------------------------------------------------------------------------------


class StaffCallListView(StaffRequiredMixin, ListView):
    template_name = "projects/calls/staff_call_list.html"
    context_object_name = "calls"
    paginate_by = 30

    def get_queryset(self):
        return selectors.staff_call_list()


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
        call = services.call_save(form=form, criteria=criteria, documents=documents)
        messages.success(request, _("The call has been saved."))
        return redirect(call.get_staff_url())


class StaffCallDetailView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_call_detail.html"

    def get(self, request, pk):
        return render(request, self.template_name, selectors.staff_call_page(pk).as_context())


class StaffCallActionView(StaffRequiredMixin, ServiceActionView):
    def get_queryset(self):
        return Call.objects.all()

    def get_success_url(self, result) -> str:
        return self.object.get_staff_url()

    def get_failure_url(self) -> str:
        return self.object.get_staff_url()


class StaffCallPublishView(StaffCallActionView):
    success_message = gettext_lazy("The call is published.")

    def perform(self, call, data):
        return services.call_publish(call=call, user=self.request.user)


class StaffCallCloseView(StaffCallActionView):
    success_message = gettext_lazy("The call is closed.")

    def perform(self, call, data):
        return services.call_close(call=call, user=self.request.user)


# --- Applications ----------------------------------------------------------------------------


class StaffApplicationListView(StaffRequiredMixin, ListView):
    template_name = "projects/calls/staff_application_list.html"
    context_object_name = "applications"
    paginate_by = 25
    paginator_class = DeferredJoinPaginator

    def get_queryset(self):
        self.filterset = selectors.filtered_applications(self.request.GET)
        return self.filterset.qs

    def get_template_names(self):
        if self.request.htmx:
            return ["projects/calls/_application_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["query_string"] = self.request.GET.urlencode()
        context["filter_key"] = pagecache.fragment_key(self.request)
        return context

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            return self.export(export)
        return super().get(request, *args, **kwargs)

    def export(self, kind: str):
        """At most ``EXPORT_SYNC_MAX_ROWS`` files at once; more are built in the background
        and the user follows the export's progress on its page."""
        queryset = selectors.export_queryset(self.request.GET)
        filename = f"dossiers-{timezone.localdate().isoformat()}.{kind}"
        count = queryset.count()
        if export_jobs.is_large(count):
            job = export_jobs.start_export(
                user=self.request.user,
                kind=exports.APPLICATIONS,
                file_format=kind,
                params=self.request.GET,
                filename=filename,
                rows_total=count,
            )
            messages.info(self.request, _("The export is being prepared."))
            return redirect(job)
        rows = selectors.export_rows(queryset)
        headers = [str(header) for header in selectors.EXPORT_HEADERS]
        if kind == "csv":
            return csv_response(filename, headers, rows)
        return xlsx_response(filename, _("Applications"), headers, rows)


def file_page_context(application, **forms) -> dict:
    """The staff file page: the file's data and one blank form per instruction action."""
    return {
        **selectors.staff_file_page(application).as_context(),
        "message_form": MessageForm(),
        "comment_form": CommentForm(),
        "eligibility_form": EligibilityForm(),
        "opinion_form": CommitteeOpinionForm(initial={"date": timezone.localdate()}),
        **forms,
    }


class StaffApplicationDetailView(StaffRequiredMixin, View):
    template_name = "projects/calls/staff_application_detail.html"

    def get(self, request, pk):
        application = selectors.staff_application(pk)
        return render(request, self.template_name, file_page_context(application))


class StaffApplicationPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        application = selectors.staff_application(pk)
        context = selectors.staff_file_page(application).as_context()
        context["communes"] = list(application.communes.all())
        context["generated_at"] = timezone.now()
        pdf = render_pdf("pdf/projects/calls/application_file.html", context)
        name = application.reference or f"brouillon-{application.pk}"
        return pdf_response(pdf, f"dossier-{name}.pdf")


class StaffFileActionView(StaffRequiredMixin, ServiceActionView):
    """An instruction form of the file page; a bad input re-renders the page (422)."""

    template_name = "projects/calls/staff_application_detail.html"
    form_name = ""

    def get_queryset(self):
        return selectors.staff_applications()

    def get_success_url(self, result) -> str:
        return self.object.get_staff_url()

    def get_failure_url(self) -> str:
        return self.object.get_staff_url()

    def get_context_data(self, *, form, **kwargs) -> dict:
        return file_page_context(self.object, **{self.form_name: form})

    def form_invalid(self, form):
        messages.error(self.request, _("Please correct the errors below."))
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return super().form_invalid(form)


class StaffRequestDocumentsView(StaffFileActionView):
    form_class = CommentForm
    form_name = "comment_form"
    success_message = gettext_lazy("The applicant has been asked for documents.")

    def perform(self, application, data):
        return services.application_request_documents(
            application=application, user=self.request.user, comment=data["comment"]
        )


class StaffEligibilityView(StaffFileActionView):
    form_class = EligibilityForm
    form_name = "eligibility_form"
    success_message = gettext_lazy("The eligibility has been recorded.")

    def perform(self, application, data):
        return services.application_set_eligibility(
            application=application,
            user=self.request.user,
            eligible=data["eligible"],
            comment=data["comment"],
        )


class StaffCommitteeOpinionView(StaffFileActionView):
    form_class = CommitteeOpinionForm
    form_name = "opinion_form"
    success_message = gettext_lazy("The committee opinion has been recorded.")

    def perform(self, application, data):
        return services.committee_opinion_record(
            application=application, user=self.request.user, **data
        )


class StaffFileFormView(StaffRequiredMixin, View):
    """A page of its own for one step of the instruction (diagnosis, decision)."""

    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm("projects.instruct_application"):
            self.application = selectors.staff_application(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        context = {"application": self.application, "form": form}
        return render(self.request, self.template_name, context, status=status)


class StaffDiagnosisView(StaffFileFormView):
    template_name = "projects/calls/staff_diagnosis.html"

    def form(self, data=None):
        return DiagnosisForm(
            data,
            instance=getattr(self.application, "diagnosis", None),
            application=self.application,
        )

    def get(self, request, pk):
        return self.render_form(self.form())

    def post(self, request, pk):
        if not request.user.has_perm("projects.edit_diagnosis", self.application):
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
        if "complete" not in request.POST or self.application.status != S.ELIGIBLE:
            messages.success(request, _("The diagnosis has been saved."))
            return redirect(self.application.get_staff_url())
        try:
            services.diagnosis_complete(application=self.application, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("projects:staff_diagnosis", pk=pk)
        messages.success(request, _("The diagnosis is complete."))
        return redirect(self.application.get_staff_url())


class StaffDecisionView(StaffFileFormView):
    template_name = "projects/calls/staff_decision.html"

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
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision has been recorded and the applicant told."))
        return redirect(self.application.get_staff_url())


class StaffPrepareConventionView(StaffRequiredMixin, ServiceActionView):
    """From a granted file to a draft convention, completed in the conventions part."""

    success_message = gettext_lazy(
        "A draft convention has been prepared: check it and complete it."
    )

    def get_queryset(self):
        return Application.objects.all()

    def get_failure_url(self) -> str:
        return self.object.get_staff_url()

    def perform(self, application, data):
        return services.application_prepare_convention(
            application=application, user=self.request.user
        )
