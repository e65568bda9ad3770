"""Views of the steering committee: public composition, members' pages, staff management."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from ess_metro import exports, pdf
from ess_metro.accounts import roles
from ess_metro.accounts.mixins import CommitteeRequiredMixin, StaffRequiredMixin
from programme.models import AnnualProgramme, ProgrammeLine, ProgrammeStatus

from . import calendar, cycle, files, quorum, register, services
from .forms import (
    AgendaItemForm,
    ApproveMinutesForm,
    AttendanceForm,
    CancelMeetingForm,
    ConflictForm,
    DocumentForm,
    LineCommentForm,
    MandateForm,
    MeetingForm,
    MinutesForm,
    OpinionForm,
    ReplyForm,
)
from .models import (
    PRESENT_STATUSES,
    AgendaDocument,
    AgendaItem,
    Attendance,
    CalendarToken,
    College,
    ConflictOfInterest,
    LineComment,
    Mandate,
    Meeting,
    MeetingStatus,
    Opinion,
)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _meeting_items(meeting):
    return meeting.items.select_related(
        "orientation", "programme", "strategy", "opinion"
    ).prefetch_related(
        "documents",
        Prefetch("applications", queryset=files.files_queryset()),
        "opinion__votes__mandate__college",
        "opinion__votes__mandate__person",
        Prefetch(
            "conflicts", queryset=ConflictOfInterest.objects.select_related("mandate__person")
        ),
    )


# --- public composition ---------------------------------------------------------------------


def _composition(mandates):
    colleges = {
        college.pk: {"college": college, "mandates": []} for college in College.objects.all()
    }
    for mandate in mandates:
        colleges[mandate.college_id]["mandates"].append(mandate)
    return list(colleges.values())


@login_not_required
def composition(request):
    """The committee as it sits today, college by college."""
    today = timezone.localdate()
    mandates = Mandate.objects.active(today).with_people()
    return render(
        request,
        "governance/composition.html",
        {"colleges": _composition(mandates), "today": today},
    )


@method_decorator(login_not_required, name="dispatch")
class CompositionHistoryView(ListView):
    """Every mandate that has ended, most recent first."""

    template_name = "governance/composition_history.html"
    paginate_by = 50
    context_object_name = "mandates"

    def get_queryset(self):
        return Mandate.objects.ended().with_people().order_by("-end_date", "college__number")


# --- members' pages -------------------------------------------------------------------------


class CommitteeHomeView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/committee_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meetings = Meeting.objects.visible_to(user)
        today = timezone.localdate()
        upcoming = list(
            meetings.upcoming(today)
            .order_by("date", "start_time")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.prefetch_related("documents").order_by(
                        "start_time"
                    ),
                )
            )[:5]
        )
        context.update(
            {
                "upcoming": upcoming,
                "documents": [
                    document
                    for meeting in upcoming
                    for item in meeting.items.all()
                    for document in item.documents.all()
                ],
                "past": meetings.past(today).held().order_by("-date")[:10],
                "draft_programmes": AnnualProgramme.objects.filter(
                    status=ProgrammeStatus.SUBMITTED
                ).annotate(line_count=Count("lines")),
                "cycle": cycle.year_cycle(today.year),
                "year": str(today.year),
                "my_mandates": Mandate.objects.active(today)
                .filter(person=user)
                .select_related("college", "organisation"),
            }
        )
        return context


class MeetingDetailView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(Meeting.objects.visible_to(self.request.user), pk=kwargs["pk"])
        context.update(meeting_context(meeting, self.request.user))
        return context


def meeting_context(meeting, user) -> dict:
    mandate = (
        Mandate.objects.active(meeting.date).filter(person=user).select_related("holder").first()
    )
    seat = mandate.seat if mandate else None
    attendance = Attendance.objects.filter(meeting=meeting, mandate=seat).first() if seat else None
    items = list(_meeting_items(meeting))
    for item in items:
        # Only the summary reaches the template: never the diagnosis' private notes.
        item.file_summaries = [files.summarise(a) for a in item.applications.all()]
    return {
        "meeting": meeting,
        "items": items,
        "quorum": quorum.compute(meeting) if meeting.is_held else None,
        "seat": seat,
        "my_attendance": attendance,
        "reply_form": ReplyForm(initial={"reply": attendance.reply if attendance else None}),
        "conflict_form": ConflictForm(),
        "can_reply": seat is not None and meeting.status == MeetingStatus.CONVENED,
        "conflicted_items": {
            item.pk
            for item in items
            for conflict in item.conflicts.all()
            if seat and conflict.mandate_id == seat.pk
        },
        "approved_minutes": meeting.approved_minutes.all(),
    }


class MeetingReplyView(CommitteeRequiredMixin, View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_reply(
                    meeting=meeting, user=request.user, reply=form.cleaned_data["reply"]
                )
                messages.success(request, _("Your reply has been recorded."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose a reply."))
        return redirect(meeting)


class ConflictDeclareView(CommitteeRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(
            AgendaItem.objects.visible_to(request.user).select_related("meeting"), pk=pk
        )
        form = ConflictForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_declare(
                    item=item, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Your conflict of interest is recorded: you will not vote on it.")
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Explain how your organisation is concerned."))
        return redirect(item.meeting)


class DocumentDownloadView(CommitteeRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(
            AgendaDocument.objects.filter(item__in=AgendaItem.objects.visible_to(request.user)),
            pk=pk,
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.file.name.rsplit("/", 1)[-1],
        )


class MinutesDownloadView(CommitteeRequiredMixin, View):
    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
        if not meeting.minutes_file:
            raise Http404
        return FileResponse(
            meeting.minutes_file.open("rb"),
            as_attachment=True,
            filename=meeting.minutes_file.name.rsplit("/", 1)[-1],
        )


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
        lines = programme.lines.select_related("axis__orientation", "beneficiary").prefetch_related(
            Prefetch(
                "committee_comments",
                queryset=LineComment.objects.select_related("author").order_by("created_at"),
            )
        )
        context.update(
            {
                "programme": programme,
                "lines": lines,
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
                services.line_comment_add(
                    line=line, user=request.user, text=form.cleaned_data["text"]
                )
                messages.success(request, _("Your comment has been added."))
                return redirect(
                    reverse("governance:programme_review", args=[pk]) + f"#line-{line.pk}"
                )
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(
            self.get_context_data(programme=programme, form=form, error_line=line.pk)
        )


def _feed_meetings(user):
    since = timezone.localdate() - datetime.timedelta(days=365)
    return (
        Meeting.objects.visible_to(user)
        .filter(date__gte=since)
        .order_by("date")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("start_time")))
    )


def _ics_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="comite-de-suivi.ics"'
    return response


class CalendarFeedView(CommitteeRequiredMixin, View):
    def get(self, request):
        return _ics_response(calendar.feed_ics(_feed_meetings(request.user)))


@login_not_required
def calendar_token_feed(request, token):
    """The same feed for calendar applications, through the member's secret URL."""
    subscription = CalendarToken.objects.select_related("user").filter(token=token).first()
    if subscription is None or not subscription.user.is_active:
        raise Http404
    user = subscription.user
    if not (roles.has_role(user, roles.COMMITTEE) or roles.has_role(user, roles.STAFF)):
        raise Http404
    return _ics_response(calendar.feed_ics(_feed_meetings(user)))


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


class CycleView(CommitteeRequiredMixin, TemplateView):
    template_name = "governance/cycle.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["governance/_cycle_panel.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("annee", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), 2100)
        context.update(
            {
                "year": str(year),
                "cycle": cycle.year_cycle(year),
                "previous": str(year - 1),
                "next": str(year + 1),
            }
        )
        return context


def _register_opinions(request):
    """The register's opinions, for one year when ``?annee=`` is given."""
    opinions = Opinion.objects.visible_to(request.user).for_register()
    year = request.GET.get("annee", "")
    if year.isdigit():
        opinions = opinions.filter(item__meeting__date__year=int(year))
    else:
        year = ""
    return opinions, year


class RegisterView(CommitteeRequiredMixin, ListView):
    """The decision register: every opinion with its tallies and conflicts."""

    template_name = "governance/register.html"
    context_object_name = "opinions"
    paginate_by = 50

    def get_queryset(self):
        opinions, self.year = _register_opinions(self.request)
        return opinions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = self.year
        context["years"] = [
            str(day.year)
            for day in Meeting.objects.visible_to(self.request.user)
            .filter(items__opinion__isnull=False)
            .dates("date", "year", order="DESC")
        ]
        context["export_query"] = f"?annee={self.year}" if self.year else ""
        return context


class RegisterCsvView(CommitteeRequiredMixin, View):
    def get(self, request):
        opinions, year = _register_opinions(request)
        headers, rows = register.table(opinions)
        suffix = f"-{year}" if year else ""
        return exports.csv_response(f"registre-des-avis{suffix}.csv", headers, rows)


class RegisterPdfView(CommitteeRequiredMixin, View):
    def get(self, request):
        opinions, year = _register_opinions(request)
        content = pdf.render_pdf(
            "pdf/governance/register.html",
            {"opinions": list(opinions), "generated_at": timezone.now(), "year": year},
        )
        suffix = f"-{year}" if year else ""
        return pdf.pdf_response(content, f"registre-des-avis{suffix}.pdf")


# --- staff management -----------------------------------------------------------------------


class MandateListView(StaffRequiredMixin, ListView):
    template_name = "governance/staff/mandate_list.html"
    context_object_name = "mandates"
    paginate_by = 100

    def get_queryset(self):
        state = self.request.GET.get("etat", "actifs")
        queryset = Mandate.objects.with_people()
        if state == "termines":
            return queryset.ended().order_by("-end_date")
        if state == "tous":
            return queryset
        return queryset.active()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"] = self.request.GET.get("etat", "actifs")
        today = timezone.localdate()
        context["seat_counts"] = cycle.seat_counts(today)
        return context


class MandateExportView(StaffRequiredMixin, View):
    """The mandates shown by the list (running, ended or all) as CSV."""

    def get(self, request):
        state = request.GET.get("etat", "actifs")
        mandates = Mandate.objects.with_people()
        if state == "termines":
            mandates = mandates.ended()
        elif state != "tous":
            mandates = mandates.active()
        headers = [
            _("College"),
            _("Category"),
            _("Holder or substitute"),
            _("Substitute of"),
            _("Last name"),
            _("First name"),
            _("E-mail"),
            _("Organisation"),
            _("From"),
            _("To"),
        ]
        rows = (
            [
                mandate.college.name,
                mandate.get_category_display(),
                mandate.get_kind_display(),
                str(mandate.holder.person) if mandate.holder_id else "",
                mandate.person.last_name,
                mandate.person.first_name,
                mandate.person.email,
                str(mandate.organisation or ""),
                mandate.start_date,
                mandate.end_date,
            ]
            for mandate in mandates
        )
        return exports.csv_response("comite-de-suivi-composition.csv", headers, rows)


class AttendanceSheetView(StaffRequiredMixin, View):
    """The attendance sheet to sign at the meeting, as a PDF."""

    def get(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        seats = list(
            services.seats_on(meeting.date)
            .prefetch_related(
                Prefetch(
                    "substitutes",
                    queryset=Mandate.objects.active(meeting.date).select_related("person"),
                )
            )
            .order_by("college__number", "category", "person__last_name")
        )
        replies = {a.mandate_id: a for a in meeting.attendances.all()}
        rows = [{"seat": seat, "attendance": replies.get(seat.pk)} for seat in seats]
        content = pdf.render_pdf(
            "pdf/governance/attendance_sheet.html",
            {"meeting": meeting, "rows": rows, "items": meeting.items.all()},
        )
        return pdf.pdf_response(content, f"emargement-{meeting.date:%Y-%m-%d}.pdf")


class MandateCreateView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/mandate_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MandateForm())
        context["mandate"] = None
        return context

    def post(self, request):
        form = MandateForm(request.POST)
        if form.is_valid():
            try:
                mandate = services.mandate_create(
                    mandate=form.instance,
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("The mandate of %(person)s has been recorded.") % {"person": mandate.person},
                )
                return redirect("governance:mandate_list")
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


class MandateUpdateView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/mandate_form.html"

    def get_mandate(self):
        return get_object_or_404(Mandate.objects.with_people(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mandate = kwargs.get("mandate") or self.get_mandate()
        context.setdefault("form", MandateForm(instance=mandate))
        context["mandate"] = mandate
        return context

    def post(self, request, pk):
        mandate = self.get_mandate()
        form = MandateForm(request.POST, instance=mandate)
        if form.is_valid():
            try:
                services.mandate_update(mandate=form.instance)
                messages.success(request, _("The mandate has been updated."))
                return redirect("governance:mandate_list")
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, mandate=mandate))


class MeetingListView(StaffRequiredMixin, ListView):
    template_name = "governance/staff/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get_queryset(self):
        return Meeting.objects.annotate(
            item_count=Count("items", distinct=True),
            reply_count=Count("attendances", filter=~Q(attendances__reply=""), distinct=True),
        ).order_by("-date")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        context.update({"cycle": cycle.year_cycle(year), "year": str(year)})
        return context


class MeetingFormView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/meeting_form.html"

    def get_meeting(self):
        if "pk" in self.kwargs:
            return get_object_or_404(Meeting, pk=self.kwargs["pk"])
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context.setdefault("form", MeetingForm(instance=meeting))
        context["meeting"] = meeting
        return context

    def get(self, request, pk=None):
        meeting = self.get_meeting()
        if meeting is not None and not meeting.is_editable:
            messages.error(request, _("A meeting already held can no longer be changed."))
            return redirect(meeting.get_manage_url())
        return super().get(request)

    def post(self, request, pk=None):
        meeting = self.get_meeting()
        if meeting is not None and not meeting.is_editable:
            raise PermissionDenied
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            meeting, notified = services.meeting_save(
                meeting=form.instance, changed=form.changed_data
            )
            if notified:
                messages.success(
                    request,
                    _("The meeting has been moved: every member received the new convocation."),
                )
            else:
                messages.success(request, _("The meeting has been saved."))
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(form=form))


class MeetingManageView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/meeting_manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(Meeting, pk=kwargs["pk"])
        context.update(meeting_context(meeting, self.request.user))
        context.update(
            {
                "attendances": meeting.attendances.select_related(
                    "mandate__person", "mandate__college", "mandate__organisation"
                ),
                "transitions": meeting.transitions.select_related("user"),
                "document_form": DocumentForm(),
                "approve_form": ApproveMinutesForm(meeting=meeting),
                "cancel_form": kwargs.get("cancel_form") or CancelMeetingForm(),
                "can_record_attendance": meeting.status
                in {MeetingStatus.CONVENED, MeetingStatus.HELD}
                and meeting.date <= timezone.localdate(),
            }
        )
        return context


class MeetingCancelView(MeetingManageView):
    """POST only: cancel a planned or convened meeting; a missing reason re-renders the page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        was_convened = meeting.status == MeetingStatus.CONVENED
        form = CancelMeetingForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_cancel(
                    meeting=meeting, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(meeting.get_manage_url())
            if was_convened:
                messages.success(
                    request,
                    _("The meeting is cancelled: every member convened has been told by e-mail."),
                )
            else:
                messages.success(request, _("The meeting is cancelled."))
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(pk=pk, cancel_form=form))


class AgendaItemFormView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/item_form.html"

    def get_objects(self):
        if "item_pk" in self.kwargs:
            item = get_object_or_404(
                AgendaItem.objects.select_related("meeting"), pk=self.kwargs["item_pk"]
            )
            return item.meeting, item
        return get_object_or_404(Meeting, pk=self.kwargs["pk"]), None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, item = self.get_objects()
        context.setdefault("form", AgendaItemForm(instance=item, meeting=meeting))
        context.update({"meeting": meeting, "item": item})
        return context

    def post(self, request, **kwargs):
        meeting, item = self.get_objects()
        form = AgendaItemForm(request.POST, instance=item, meeting=meeting)
        if form.is_valid():
            try:
                services.agenda_item_save(
                    item=form.instance, applications=form.cleaned_data["applications"]
                )
                messages.success(request, _("The agenda item has been saved."))
                return redirect(meeting.get_manage_url())
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))


class AgendaItemDeleteView(StaffRequiredMixin, View):
    def post(self, request, item_pk):
        item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
        meeting = item.meeting
        try:
            services.agenda_item_delete(item=item)
            messages.success(request, _("The agenda item has been deleted."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(meeting.get_manage_url())


class DocumentUploadView(StaffRequiredMixin, View):
    def post(self, request, item_pk):
        item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            AgendaDocument.objects.create(
                item=item,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
            messages.success(request, _("The document has been added to the meeting file."))
        else:
            errors = [error for errors in form.errors.values() for error in errors]
            messages.error(request, " ".join(errors))
        return redirect(item.meeting.get_manage_url())


class DocumentDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk):
        document = get_object_or_404(AgendaDocument.objects.select_related("item__meeting"), pk=pk)
        meeting = document.item.meeting
        services.document_delete(document=document)
        messages.success(request, _("The document has been removed from the meeting file."))
        return redirect(meeting.get_manage_url())


class MeetingConveneView(StaffRequiredMixin, View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        try:
            services.meeting_convene(meeting=meeting, user=request.user)
            messages.success(request, _("The convocation has been sent to every member."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(meeting.get_manage_url())


class MeetingRemindView(StaffRequiredMixin, View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        try:
            count = services.meeting_remind(meeting=meeting)
            messages.success(
                request,
                ngettext(
                    "A reminder has been sent to %(count)d member.",
                    "A reminder has been sent to %(count)d members.",
                    count,
                )
                % {"count": count},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(meeting.get_manage_url())


class AttendanceView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/attendance_form.html"

    def get(self, request, pk):
        meeting = self.get_meeting()
        if meeting.status not in {MeetingStatus.CONVENED, MeetingStatus.HELD}:
            messages.error(request, _("Attendance is recorded once the meeting has been convened."))
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(meeting=meeting))

    def get_meeting(self):
        return get_object_or_404(Meeting, pk=self.kwargs["pk"])

    def build_form(self, meeting, data=None):
        seats = list(services.seats_on(meeting.date).order_by("college__number", "category"))
        attendances = {a.mandate_id: a for a in meeting.attendances.all()}
        return AttendanceForm(data, seats=seats, attendances=attendances)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault("form", self.build_form(meeting))
        context["meeting"] = meeting
        return context

    def post(self, request, pk):
        meeting = self.get_meeting()
        form = self.build_form(meeting, request.POST)
        if form.is_valid():
            try:
                services.attendance_record(
                    meeting=meeting, user=request.user, presences=form.presences()
                )
                result = quorum.compute(meeting)
                if result.met:
                    messages.success(request, _("Attendance recorded: the quorum is met."))
                else:
                    messages.warning(
                        request,
                        _("Attendance recorded: the quorum is NOT met, no vote is possible."),
                    )
                return redirect(meeting.get_manage_url())
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, meeting=meeting))


class MinutesView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/minutes_form.html"

    def get(self, request, pk):
        meeting = self.get_meeting()
        if meeting.status != MeetingStatus.HELD:
            messages.error(
                request, _("Minutes are written once the meeting has been held, until approved.")
            )
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(meeting=meeting))

    def get_meeting(self):
        return get_object_or_404(Meeting, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault(
            "form", MinutesForm(initial={"minutes": meeting.minutes}, meeting=meeting)
        )
        context["meeting"] = meeting
        return context

    def post(self, request, pk):
        meeting = self.get_meeting()
        form = MinutesForm(request.POST, request.FILES, meeting=meeting)
        if form.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    text=form.cleaned_data["minutes"],
                    upload=form.cleaned_data.get("minutes_file"),
                )
                messages.success(request, _("The minutes have been saved."))
                return redirect(meeting.get_manage_url())
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, meeting=meeting))


class MinutesApproveView(StaffRequiredMixin, View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        form = ApproveMinutesForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                services.minutes_approve(
                    meeting=meeting, at_meeting=form.cleaned_data["at_meeting"], user=request.user
                )
                messages.success(request, _("The minutes are approved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(
                request, _("Choose the later meeting at which the minutes were approved.")
            )
        return redirect(meeting.get_manage_url())


def _file_list(applications) -> str:
    return ", ".join(
        f"{application.reference or application.title} ({application.get_status_display()})"
        for application in applications
    )


def _opinion_message(report) -> str:
    """The success message, naming the files moved and those left in their state."""
    parts = [_("The committee's opinion has been recorded.")]
    if report.moved:
        parts.append(
            ngettext(
                "%(count)d file moved to “committee opinion given”: %(files)s.",
                "%(count)d files moved to “committee opinion given”: %(files)s.",
                len(report.moved),
            )
            % {
                "count": len(report.moved),
                "files": ", ".join(a.reference or a.title for a in report.moved),
            }
        )
    if report.left:
        parts.append(
            ngettext(
                "%(count)d file left unchanged because it was not diagnosed: %(files)s.",
                "%(count)d files left unchanged because they were not diagnosed: %(files)s.",
                len(report.left),
            )
            % {"count": len(report.left), "files": _file_list(report.left)}
        )
    return " ".join(parts)


class OpinionCreateView(StaffRequiredMixin, TemplateView):
    template_name = "governance/staff/opinion_form.html"

    def get_item(self):
        return get_object_or_404(
            AgendaItem.objects.select_related("meeting", "programme", "strategy"),
            pk=self.kwargs["item_pk"],
        )

    def build_form(self, item, data=None):
        voters = [
            attendance.mandate
            for attendance in item.meeting.attendances.filter(
                presence__in=PRESENT_STATUSES
            ).select_related("mandate__person", "mandate__college")
        ]
        conflicted = set(item.conflicts.values_list("mandate_id", flat=True))
        return OpinionForm(data, voters=voters, conflicted=conflicted)

    def file_summaries(self, item):
        return [files.summarise(a) for a in files.files_queryset().filter(agenda_items=item)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = kwargs.get("item") or self.get_item()
        meeting = item.meeting
        context.setdefault("form", self.build_form(item))
        context.update(
            {
                "item": item,
                "meeting": meeting,
                "quorum": quorum.compute(meeting),
                "conflicts": item.conflicts.select_related("mandate__person"),
                "file_summaries": self.file_summaries(item),
            }
        )
        return context

    def get(self, request, item_pk):
        item = self.get_item()
        if Opinion.objects.filter(item=item).exists():
            messages.info(request, _("The opinion on this item has already been recorded."))
            return redirect(item.meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(item=item))

    def post(self, request, item_pk):
        item = self.get_item()
        form = self.build_form(item, request.POST)
        if form.is_valid():
            try:
                opinion = services.opinion_record(
                    item=item,
                    user=request.user,
                    outcome=form.cleaned_data["outcome"],
                    text=form.cleaned_data["text"],
                    votes=form.votes(),
                )
                messages.success(request, _opinion_message(opinion.files_report))
                return redirect(item.meeting.get_manage_url())
            except ValidationError as error:
                _add_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form, item=item))
