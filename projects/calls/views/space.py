"""The applicant's file: start, edit with autosave, attachments, submission, follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from ess_metro.actions import ServiceActionView
from ess_metro.concurrency import StaleEdit, posted_version
from ess_metro.downloads import protected_download
from projects.calls import selectors, services
from projects.calls.forms import (
    ApplicationForm,
    ApplicationStartForm,
    AttachmentForm,
    MessageForm,
    budget_formsets,
    draft_fingerprint,
)
from projects.models import Application, Attachment, Call, Partnership, PartnershipStatus


class ApplicationStartView(View):
    """From the call page: choose the organisation and a title, get a draft."""

    template_name = "projects/calls/application_start.html"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call.objects.open_now(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={
                "call": self.call,
                "form": form,
                "has_organisation": form.fields["organisation"].queryset.exists(),
            },
        )

    def get(self, request, slug):
        return self.render_form(ApplicationStartForm(user=request.user))

    def post(self, request, slug):
        form = ApplicationStartForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(form)
        application = services.application_start(
            call=self.call,
            organisation=form.cleaned_data["organisation"],
            user=request.user,
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("Your draft is saved. Complete it at your own pace."))
        return redirect("projects:application_edit", pk=application.pk)


class ApplicationListView(ListView):
    """The applicant's files, every status, newest first (``/espace/dossiers/``)."""

    template_name = "projects/calls/application_list.html"
    context_object_name = "applications"

    def get_queryset(self):
        return (
            Application.objects.filter(organisation__memberships__user=self.request.user)
            .select_related("call", "organisation")
            .order_by("-created_at")
            .distinct()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_calls_for_applicant"] = list(Call.objects.open_now())
        return context


class ApplicationDetailView(DetailView):
    """The file as the applicant sees it: status, what is expected, decision, messages."""

    template_name = "projects/calls/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return selectors.applicant_queryset(self.request.user).prefetch_related(
            "communes", "budget_lines", "partnerships__organisation"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.applicant_file_page(self.object).as_context())
        context["message_form"] = MessageForm()
        return context


class ApplicationEditView(View):
    """Every section of the file; "save" keeps everything, even with errors."""

    template_name = "projects/calls/application_edit.html"

    def dispatch(self, request, *args, **kwargs):
        files = Application.objects.editable_by(request.user).select_related("call", "organisation")
        if not self.submitting(request):  # the forms' initial values
            files = files.prefetch_related("budget_lines", "communes", "partner_organisations")
        self.application = files.filter(pk=kwargs["pk"]).first()
        if self.application is None:
            # An old link to a file that can no longer be changed: say so on the file's page.
            application = get_object_or_404(
                Application.objects.filter(organisation__memberships__user=request.user),
                pk=kwargs["pk"],
            )
            messages.info(
                request,
                _("This file can no longer be changed (%(status)s): here is what was sent.")
                % {"status": application.get_status_display().lower()},
            )
            return redirect(application.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form, expense_formset, income_formset, problems=None, status=200):
        application = self.application
        context = {
            "application": application,
            "call": application.call,
            "form": form,
            "expense_formset": expense_formset,
            "income_formset": income_formset,
            "attachment_form": AttachmentForm(call=application.call),
            **selectors.edit_page(application, problems).as_context(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        expense_formset, income_formset = budget_formsets(self.application)
        form = ApplicationForm(instance=self.application)
        return self.render_page(form, expense_formset, income_formset)

    def bound_forms(self, request):
        form = ApplicationForm(request.POST, instance=self.application)
        expense_formset, income_formset = budget_formsets(self.application, data=request.POST)
        return form, expense_formset, income_formset

    def save(self, request, form, expense_formset, income_formset) -> list[str]:
        return services.application_save_draft(
            application=self.application,
            form=form,
            expense_forms=list(expense_formset),
            income_forms=list(income_formset),
            user=request.user,
        )

    @staticmethod
    def submitting(request) -> bool:
        return request.method == "POST" and "submit" in request.POST and not request.htmx

    def post(self, request, pk):
        if self.submitting(request):
            return self.submit(request)
        form, expense_formset, income_formset = self.bound_forms(request)
        try:
            errors = self.save(request, form, expense_formset, income_formset)
        except StaleEdit:
            return self.stale(request)
        self.application.refresh_from_db()
        if request.htmx:
            return render(
                request,
                "projects/calls/_autosave_status.html",
                {"application": self.application, "errors": errors, "oob_version": True},
            )
        if errors:
            messages.warning(
                request,
                _("Draft saved. Some fields contain errors: they were not saved, fix them."),
            )
            return self.render_page(form, expense_formset, income_formset)
        messages.success(request, _("Draft saved."))
        return redirect("projects:application_edit", pk=self.application.pk)

    def stale(self, request):
        """Another tab saved the draft since this one was loaded: nothing was saved; the typed
        values come back with what is saved now beside each field that differs."""
        self.application.refresh_from_db()
        form = ApplicationForm(request.POST, instance=self.application)
        form.is_valid()  # adds the stale-edit errors (VersionedFormMixin)
        if request.htmx:
            changes = [
                (form.fields[name].label, value) for name, value in form.stale_changes().items()
            ]
            context = {"application": self.application, "stale": True, "changes": changes}
            return render(request, "projects/calls/_autosave_status.html", context)
        expense_formset, income_formset = budget_formsets(self.application, data=request.POST)
        return self.render_page(form, expense_formset, income_formset, status=409)

    def submit(self, request):
        """Save what changed since the last autosave, then submit.

        In the last seconds before a deadline the autosave has usually stored everything:
        when the POST carries the very data saved at the version it was loaded with (the
        draft's fingerprint), no form is even built, and nothing is written but the
        submission; the version is checked under the file's lock."""
        version = posted_version(request.POST)
        unchanged = version is not None and (
            self.application.draft_fingerprint == draft_fingerprint(request.POST, version)
        )
        forms = None if unchanged else self.bound_forms(request)
        try:
            changed = forms is not None and (
                forms[0].has_changed() or any(row.has_changed() for row in [*forms[1], *forms[2]])
            )
            if changed:
                self.save(request, *forms)
                version = None  # checked by the save, which made a new one
            application = services.application_submit(
                application=self.application,
                user=request.user,
                received_at=request.arrived_at,
                version=version,
            )
        except StaleEdit:
            return self.stale(request)
        except services.CallClosed as closed:
            return self.closed(closed)
        except ValidationError as error:
            self.application.refresh_from_db()
            if not hasattr(error, "error_dict"):
                for message in error.messages:
                    messages.error(request, message)
                return redirect(self.application.get_absolute_url())
            return self.refused(*(forms or self.bound_forms(request)), error.message_dict)
        messages.success(
            request,
            _("Your file has been submitted under the reference %(reference)s.")
            % {"reference": application.reference},
        )
        return redirect(application.get_absolute_url())

    def closed(self, closed):
        """A short answer, light to make when the whole rush arrives at the closing second:
        when the request arrived, when the call closed, and that the draft is kept."""
        context = {
            "application": self.application,
            "call": closed.call,
            "received_at": closed.received_at,
            "stopped_at": closed.call.stopped_at,
        }
        return render(self.request, "projects/calls/application_closed.html", context, status=422)

    def refused(self, form, expense_formset, income_formset, problems):
        for name, field_problems in problems.items():
            if name in form.fields:
                for problem in field_problems:
                    form.add_error(name, problem)
        messages.error(self.request, _("The file cannot be submitted yet: see the problems below."))
        return self.render_page(form, expense_formset, income_formset, problems, status=422)


class ApplicantActionView(ServiceActionView):
    """A POST of the applicant on a file; messages and errors go back to the page."""

    anchor = ""

    def get_queryset(self):
        return Application.objects.editable_by(self.request.user).select_related("call")

    def page_url(self) -> str:
        return reverse("projects:application_edit", args=[self.object.pk]) + self.anchor

    def get_success_url(self, result) -> str:
        return self.page_url()

    def get_failure_url(self) -> str:
        return self.page_url()

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect(self.get_failure_url())


class AttachmentUploadView(ApplicantActionView):
    form_class = AttachmentForm
    anchor = "#documents"
    success_message = gettext_lazy("The document has been added.")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "call": self.object.call}

    def perform(self, application, data):
        return services.attachment_add(
            application=application,
            required_document=data["required_document"],
            upload=data["file"],
            user=self.request.user,
        )


class AttachmentDeleteView(ApplicantActionView):
    anchor = "#documents"
    success_message = gettext_lazy("The document has been removed.")

    def perform(self, application, data):
        attachment = get_object_or_404(application.attachments, pk=self.kwargs["attachment_pk"])
        return services.attachment_delete(attachment=attachment, user=self.request.user)


class AttachmentDownloadView(View):
    """Private files are served only to those who may see the file."""

    def get(self, request, pk, attachment_pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        attachment = get_object_or_404(
            Attachment.objects.filter(application=application), pk=attachment_pk
        )
        return protected_download(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )


class ReceiptView(View):
    def get(self, request, pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        return protected_download(
            application.receipt,
            filename=f"recepisse-{application.reference}.pdf",
            content_type="application/pdf",
            inline=True,
        )


class ApplicationMessageView(ServiceActionView):
    form_class = MessageForm
    success_message = gettext_lazy("Your message has been sent.")

    def get_queryset(self):
        return Application.objects.visible_to(self.request.user)

    def perform(self, application, data):
        return services.message_post(
            application=application, user=self.request.user, body=data["body"]
        )

    def get_success_url(self, result) -> str:
        return self.get_failure_url()

    def get_failure_url(self) -> str:
        if self.request.POST.get("next") == "staff":
            return self.object.get_staff_url() + "#messages"
        return self.object.get_absolute_url() + "#messages"

    def form_invalid(self, form):
        messages.error(self.request, _("Write a message before sending it."))
        return redirect(self.get_failure_url())


class ApplicationWithdrawView(ServiceActionView):
    success_message = gettext_lazy("The file has been withdrawn.")

    def get_queryset(self):
        return Application.objects.visible_to(self.request.user).filter(
            organisation__memberships__user=self.request.user
        )

    def perform(self, application, data):
        return services.application_withdraw(application=application, user=self.request.user)


class PartnershipListView(ListView):
    """Requests to the organisations this person administers: accept or decline each."""

    template_name = "projects/calls/partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self):
        return (
            Partnership.objects.to_answer_by(self.request.user)
            .select_related("organisation", "application__organisation", "application__call")
            .order_by(
                Case(When(status=PartnershipStatus.PENDING, then=0), default=1),
                "-requested_at",
            )
        )


class PartnershipAnswerView(ServiceActionView):
    accept = True

    def get_queryset(self):
        return Partnership.objects.to_answer_by(self.request.user).select_related(
            "organisation", "application"
        )

    def perform(self, partnership, data):
        return services.partnership_answer(
            partnership=partnership, user=self.request.user, accept=self.accept
        )

    def get_success_message(self, result) -> str:
        if self.accept:
            return _("Your organisation is now a partner of this file.")
        return _("You declined; the applicant has been told.")

    def get_success_url(self, result) -> str:
        return reverse("projects:partnership_list")

    def get_failure_url(self) -> str:
        return reverse("projects:partnership_list")
