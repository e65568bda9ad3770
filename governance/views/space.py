"""The committee members' space (open to Métro staff too): meetings, their documents and
minutes, replies and conflicts of interest, programme review, calendar, cycle, register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from ess_metro import exports, pdf
from ess_metro.accounts.mixins import CommitteeRequiredMixin
from ess_metro.actions import add_service_error
from ess_metro.downloads import protected_download
from ess_metro.permissions import require
from programme.models import AnnualProgramme, ProgrammeLine, ProgrammeStatus

from .. import calendar, permissions, selectors, services
from ..forms import ConflictForm, LineCommentForm, ReplyForm
from ..models import AgendaDocument, AgendaItem, CalendarToken, Meeting
from .base import ActionView


class CommitteeHomeView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/committee_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.as_context(selectors.committee_home(self.request.user)))
        return context


def meeting_context(meeting, user, page=None) -> dict:
    """The context of a meeting's page, for members and (with a fuller ``page``) for staff."""
    page = page or selectors.meeting_page(meeting, user)
    attendance = page.my_attendance
    return {
        **selectors.as_context(page),
        "reply_form": ReplyForm(initial={"reply": attendance.reply if attendance else None}),
        "conflict_form": ConflictForm(),
        "can_reply": permissions.can_reply.test(user, meeting),
        "can_manage": permissions.can_manage_meetings.test(user),
    }


class MeetingDetailView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(Meeting.objects.visible_to(self.request.user), pk=kwargs["pk"])
        context.update(meeting_context(meeting, self.request.user))
        return context


class MeetingReplyView(CommitteeRequiredMixin, ActionView):
    form_class = ReplyForm
    invalid_message = gettext_lazy("Choose a reply.")
    success_message = gettext_lazy("Your reply has been recorded.")

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user)

    def perform(self, meeting, data):
        return services.attendance_reply(meeting=meeting, user=self.request.user, **data)


class ConflictDeclareView(CommitteeRequiredMixin, ActionView):
    form_class = ConflictForm
    invalid_message = gettext_lazy("Explain how your organisation is concerned.")
    success_message = gettext_lazy(
        "Your conflict of interest is recorded: you will not vote on it."
    )

    def get_queryset(self):
        return AgendaItem.objects.visible_to(self.request.user).select_related("meeting")

    def meeting_of(self, item):
        return item.meeting

    def perform(self, item, data):
        return services.conflict_declare(item=item, user=self.request.user, **data)


class DocumentDownloadView(CommitteeRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(
            AgendaDocument.objects.filter(item__in=AgendaItem.objects.visible_to(request.user)),
            pk=pk,
        )
        return protected_download(document.file, filename=document.download_name)


class MinutesDownloadView(CommitteeRequiredMixin, View):
    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
        require(request.user, "governance.read_minutes", meeting)
        return protected_download(meeting.minutes_file)


class ProgrammeReviewView(CommitteeRequiredMixin, TemplateView):
    """The draft annual programme, line by line, with the members' comments."""

    template_name = "governance/programme_review.html"

    def get_programme(self):
        return get_object_or_404(
            AnnualProgramme.objects.exclude(status=ProgrammeStatus.DRAFT), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = kwargs.get("programme") or self.get_programme()
        context.update(
            {
                "programme": programme,
                "lines": selectors.programme_lines(programme),
                "can_comment": programme.status == ProgrammeStatus.SUBMITTED,
                "form": kwargs.get("form") or LineCommentForm(),
                "error_line": kwargs.get("error_line"),
            }
        )
        return context

    def post(self, request, pk):
        programme = self.get_programme()
        line = get_object_or_404(
            ProgrammeLine.objects.filter(programme=programme), pk=request.POST.get("line")
        )
        form = LineCommentForm(request.POST)
        if form.is_valid():
            try:
                services.line_comment_add(line=line, user=request.user, **form.cleaned_data)
                messages.success(request, _("Your comment has been added."))
                return redirect(
                    reverse("governance:programme_review", args=[pk]) + f"#line-{line.pk}"
                )
            except ValidationError as error:
                add_service_error(form, error)
        return self.render_to_response(
            self.get_context_data(programme=programme, form=form, error_line=line.pk)
        )


def _ics_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="comite-de-suivi.ics"'
    return response


class CalendarFeedView(CommitteeRequiredMixin, View):
    def get(self, request):
        return _ics_response(calendar.feed_ics(selectors.feed_meetings(request.user)))


@login_not_required
def calendar_token_feed(request, token):
    """The same feed for calendar applications, through the member's secret URL."""
    subscription = CalendarToken.objects.select_related("user").filter(token=token).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404
    user = subscription.user
    if not permissions.can_see_meetings.test(user):
        raise Http404
    return _ics_response(calendar.feed_ics(selectors.feed_meetings(user)))


class CalendarSubscribeView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = services.calendar_token_for(user=self.request.user)
        context["subscription_url"] = self.request.build_absolute_uri(
            reverse("governance:calendar_token_feed", args=[token.token])
        )
        return context

    def post(self, request):
        services.calendar_token_renew(user=request.user)
        messages.success(request, _("A new address was created; the previous one no longer works."))
        return redirect("governance:calendar")


def _year(value, default: int) -> int:
    """The year asked in ``?annee=``, between 2000 and 2100 (``default`` when unreadable)."""
    try:
        year = int(value if value is not None else default)
    except ValueError:
        year = default
    return min(max(year, 2000), 2100)


class CycleView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/cycle.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["governance/_cycle_panel.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request.GET.get("annee"), timezone.localdate().year)
        context.update(
            {
                "year": str(year),
                "cycle": selectors.year_cycle(year),
                "previous": str(year - 1),
                "next": str(year + 1),
            }
        )
        return context


class RegisterView(CommitteeRequiredMixin, ListView):
    """The decision register: every opinion with its tallies and conflicts."""

    template_name = "governance/register.html"
    context_object_name = "opinions"
    paginate_by = 50

    def get_queryset(self):
        opinions, self.year = selectors.register_opinions(
            self.request.user, self.request.GET.get("annee", "")
        )
        return opinions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        context["years"] = selectors.register_years(self.request.user)
        context["export_query"] = f"?annee={self.year}" if self.year else ""
        return context


class RegisterCsvView(CommitteeRequiredMixin, View):
    def get(self, request):
        opinions, year = selectors.register_opinions(request.user, request.GET.get("annee", ""))
        headers, rows = selectors.register_table(opinions)
        suffix = f"-{year}" if year else ""
        return exports.csv_response(f"registre-des-avis{suffix}.csv", headers, rows)


class RegisterPdfView(CommitteeRequiredMixin, View):
    def get(self, request):
        opinions, year = selectors.register_opinions(request.user, request.GET.get("annee", ""))
        content = pdf.render_pdf(
            "pdf/governance/register.html",
            {"opinions": list(opinions), "generated_at": timezone.now(), "year": year},
        )
        suffix = f"-{year}" if year else ""
        return pdf.pdf_response(content, f"registre-des-avis{suffix}.pdf")
