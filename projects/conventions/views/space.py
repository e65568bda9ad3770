"""The beneficiary's space: its conventions, bank details, documents and yearly reports.

Every object is fetched through a ``visible_to`` queryset: another organisation's is a 404.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from ess_metro.actions import add_service_error
from ess_metro.downloads import protected_download
from ess_metro.pdf import pdf_response, render_pdf
from projects.conventions import selectors, services
from projects.conventions.forms import BankDetailsForm, ReportForm
from projects.conventions.models import Convention, Report, ReportAttachment


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


def _visible_conventions(user):
    return selectors.convention_queryset().filter(
        pk__in=Convention.objects.visible_to(user).values("pk")
    )


class SpaceConventionDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/conventions/convention_detail.html"

    def get_queryset(self):
        return _visible_conventions(self.request.user)

    def get_context_data(self, **kwargs):
        page = selectors.convention_page(self.object, staff=False)
        return {**super().get_context_data(**kwargs), **page.as_context()}


class BankDetailsView(LoginRequiredMixin, View):
    """Staff or the beneficiary's members give the bank details; only those who may see the
    IBAN (``projects.see_iban``: staff) get it back in the form."""

    template_name = "projects/conventions/bank_details_form.html"

    def get_object(self, pk):
        return get_object_or_404(Convention.objects.visible_to(self.request.user), pk=pk)

    def back_url(self, convention):
        if self.request.user.has_perm("projects.manage_conventions"):
            return convention.get_absolute_url()
        return convention.get_space_url()

    def render_form(self, form, convention):
        context = {"form": form, "convention": convention, "back_url": self.back_url(convention)}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        convention = self.get_object(pk)
        initial = {}
        if request.user.has_perm("projects.see_iban", convention):
            initial = {
                "account_holder": convention.account_holder,
                "iban": convention.iban_display,
                "bic": convention.bic,
            }
        form = BankDetailsForm(initial=initial, user=request.user, request=request)
        return self.render_form(form, convention)

    def post(self, request, pk):
        convention = self.get_object(pk)
        form = BankDetailsForm(request.POST, user=request.user, request=request)
        if form.is_valid():
            services.convention_set_bank_details(
                convention=convention, user=request.user, **form.bank_details()
            )
            messages.success(
                request,
                _(
                    "The bank details have been recorded. The beneficiary's administrators and "
                    "the Métro are told; payments wait until a Métro officer confirms them."
                ),
            )
            return redirect(self.back_url(convention))
        return self.render_form(form, convention)


class ConventionPdfView(LoginRequiredMixin, View):
    """The convention ready to sign (a draft carries a watermark); never the full IBAN."""

    def get(self, request, pk):
        convention = get_object_or_404(_visible_conventions(request.user), pk=pk)
        context = selectors.convention_page(convention, staff=False).as_context()
        pdf = render_pdf("pdf/projects/conventions/convention.html", context, request=request)
        return pdf_response(pdf, f"{convention.reference}.pdf", inline=False)


class AmendmentPdfView(LoginRequiredMixin, View):
    """The amendment ready to sign (a draft carries a watermark); beneficiaries get signed ones."""

    def get(self, request, pk):
        amendment = get_object_or_404(selectors.amendment_queryset(request.user), pk=pk)
        pdf = render_pdf(
            "pdf/projects/conventions/amendment.html",
            selectors.amendment_page(amendment).as_context(),
            request=request,
        )
        filename = f"{amendment.convention.reference}-avenant-{amendment.number}.pdf"
        return pdf_response(pdf, filename, inline=False)


class SpaceReportSubmitView(LoginRequiredMixin, View):
    template_name = "projects/conventions/report_form.html"

    def render_form(self, report, form):
        context = {
            "report": report,
            "form": form,
            "more_requested": selectors.last_request_for_more(report),
        }
        return render(self.request, self.template_name, context)

    def get_object(self, pk):
        return get_object_or_404(selectors.report_queryset(self.request.user), pk=pk)

    def get(self, request, pk):
        report = self.get_object(pk)
        initial = {
            "activity_report": report.activity_report,
            "financial_report": report.financial_report,
            "expenses": report.expenses,
        }
        return self.render_form(report, ReportForm(report=report, initial=initial))

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
                add_service_error(form, error)
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
        return protected_download(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
