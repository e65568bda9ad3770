"""The applicant's file: start, edit with autosave, attachments, submission, follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from ess_metro.pdf import pdf_response
from projects.calls import services
from projects.calls.forms import (
    ApplicationForm,
    ApplicationStartForm,
    AttachmentForm,
    MessageForm,
    budget_formsets,
)
from projects.models import Application, Attachment, Call


def applicant_queryset(user):
    return Application.objects.visible_to(user).select_related("call", "organisation", "created_by")


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


class ApplicationDetailView(DetailView):
    """The file as the applicant sees it: status, what is expected, decision, messages."""

    template_name = "projects/calls/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return applicant_queryset(self.request.user).prefetch_related(
            "communes", "budget_lines", "partner_organisations"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context["attachments"] = application.attachments.select_related("required_document")
        context["thread"] = application.messages.select_related("author")
        context["history"] = application.transitions.select_related("user")
        context["message_form"] = MessageForm()
        context["is_member"] = application.organisation.memberships.filter(
            user=self.request.user
        ).exists()
        return context


class ApplicationEditView(View):
    """Every section of the file; "save" keeps everything, even with errors."""

    template_name = "projects/calls/application_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(
            Application.objects.editable_by(request.user)
            .select_related("call", "organisation")
            .prefetch_related("budget_lines"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def context(self, form, expense_formset, income_formset, problems=None):
        application = self.application
        attachments = list(application.attachments.select_related("required_document"))
        documents = [
            (
                document,
                [a for a in attachments if a.required_document_id == document.pk],
                (problems or {}).get(f"document-{document.pk}", []),
            )
            for document in application.call.required_documents.all()
        ]
        return {
            "application": application,
            "call": application.call,
            "form": form,
            "expense_formset": expense_formset,
            "income_formset": income_formset,
            "documents": documents,
            "attachment_form": AttachmentForm(call=application.call),
            "problems": problems or {},
            "general_problems": (problems or {}).get("__all__", []),
            "budget_problems": (problems or {}).get("budget", []),
        }

    def get(self, request, pk):
        expense_formset, income_formset = budget_formsets(self.application)
        form = ApplicationForm(instance=self.application)
        return render(
            request, self.template_name, self.context(form, expense_formset, income_formset)
        )

    def save(self, request):
        form = ApplicationForm(request.POST, instance=self.application)
        expense_formset, income_formset = budget_formsets(self.application, data=request.POST)
        errors = services.application_save_draft(
            application=self.application,
            form=form,
            expense_forms=list(expense_formset),
            income_forms=list(income_formset),
            user=request.user,
        )
        return form, expense_formset, income_formset, errors

    def post(self, request, pk):
        form, expense_formset, income_formset, errors = self.save(request)
        self.application.refresh_from_db()
        if request.htmx:
            return render(
                request,
                "projects/calls/_autosave_status.html",
                {"application": self.application, "errors": errors},
            )
        if "submit" in request.POST:
            return self.submit(request, form, expense_formset, income_formset)
        if errors:
            messages.warning(
                request,
                _("Draft saved. Some fields contain errors: they were not saved, fix them."),
            )
            return render(
                request, self.template_name, self.context(form, expense_formset, income_formset)
            )
        messages.success(request, _("Draft saved."))
        return redirect("projects:application_edit", pk=self.application.pk)

    def submit(self, request, form, expense_formset, income_formset):
        try:
            application = services.application_submit(
                application=self.application, user=request.user
            )
        except services.SubmissionRefused as refused:
            for name, problems in refused.errors.items():
                if name in form.fields:
                    for problem in problems:
                        form.add_error(name, problem)
            messages.error(request, _("The file cannot be submitted yet: see the problems below."))
            return render(
                request,
                self.template_name,
                self.context(form, expense_formset, income_formset, refused.errors),
                status=422,
            )
        except services.TransitionError as error:
            messages.error(request, str(error))
            return redirect(self.application.get_absolute_url())
        messages.success(
            request,
            _("Your file has been submitted under the reference %(reference)s.")
            % {"reference": application.reference},
        )
        return redirect(application.get_absolute_url())


class AttachmentUploadView(View):
    def post(self, request, pk):
        application = get_object_or_404(
            Application.objects.editable_by(request.user).select_related("call"), pk=pk
        )
        form = AttachmentForm(request.POST, request.FILES, call=application.call)
        if form.is_valid():
            try:
                services.attachment_add(
                    application=application,
                    required_document=form.cleaned_data["required_document"],
                    upload=form.cleaned_data["file"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
        if form.errors:
            for field_errors in form.errors.values():
                for error in field_errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("The document has been added."))
        return redirect(reverse("projects:application_edit", args=[pk]) + "#documents")


class AttachmentDeleteView(View):
    def post(self, request, pk, attachment_pk):
        application = get_object_or_404(Application.objects.editable_by(request.user), pk=pk)
        attachment = get_object_or_404(application.attachments, pk=attachment_pk)
        services.attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("The document has been removed."))
        return redirect(reverse("projects:application_edit", args=[pk]) + "#documents")


class AttachmentDownloadView(View):
    """Private files are served only to those who may see the file."""

    def get(self, request, pk, attachment_pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        attachment = get_object_or_404(
            Attachment.objects.filter(application=application), pk=attachment_pk
        )
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class ReceiptView(View):
    def get(self, request, pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        if not application.receipt:
            raise Http404
        with application.receipt.open("rb") as receipt:
            pdf = receipt.read()
        return pdf_response(pdf, f"recepisse-{application.reference}.pdf")


class ApplicationMessageView(View):
    def post(self, request, pk):
        application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
        form = MessageForm(request.POST)
        if form.is_valid():
            services.message_post(
                application=application, user=request.user, body=form.cleaned_data["body"]
            )
            messages.success(request, _("Your message has been sent."))
        else:
            messages.error(request, _("Write a message before sending it."))
        target = request.POST.get("next")
        if target == "staff" and application.pk:
            return redirect(application.get_staff_url() + "#messages")
        return redirect(application.get_absolute_url() + "#messages")


class ApplicationWithdrawView(View):
    def post(self, request, pk):
        application = get_object_or_404(
            Application.objects.visible_to(request.user).filter(
                organisation__memberships__user=request.user
            ),
            pk=pk,
        )
        try:
            services.application_withdraw(application=application, user=request.user)
        except services.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The file has been withdrawn."))
        return redirect(application.get_absolute_url())
