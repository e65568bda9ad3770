"""Métro staff pages of the committee (/gestion/comite/): mandates, meetings, agenda,
attendance, minutes and opinions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from ess_metro import exports, french, pdf
from ess_metro.actions import add_service_error
from ess_metro.audit import audit_entries
from ess_metro.permissions import PermissionMixin

from .. import selectors, services
from ..forms import (
    AgendaItemForm,
    ApproveMinutesForm,
    AttendanceForm,
    CancelMeetingForm,
    DocumentForm,
    MandateForm,
    MeetingForm,
    MinutesForm,
    OpinionForm,
)
from ..models import AgendaDocument, AgendaItem, Mandate, Meeting, MeetingStatus, Opinion
from .base import StaffActionView
from .space import meeting_context


class MeetingsPermission(PermissionMixin):
    permission_required = "governance.manage_meetings"


class MandatesPermission(PermissionMixin):
    permission_required = "governance.manage_mandates"


class FormPage(TemplateView):
    """A staff page with a form that calls one service (``save``) and goes back on success."""

    def save(self, form):
        raise NotImplementedError

    def success(self, result):
        raise NotImplementedError

    def submit(self, form, **context):
        if form.is_valid():
            try:
                return self.success(self.save(form))
            except ValidationError as error:
                add_service_error(form, error)
        return self.render_to_response(self.get_context_data(form=form, **context))


# --- mandates -------------------------------------------------------------------------------


class MandateListView(MandatesPermission, ListView):
    template_name = "governance/staff/mandate_list.html"
    context_object_name = "mandates"
    paginate_by = 100

    def get_queryset(self):
        return selectors.mandates_in_state(self.request.GET.get("etat", "actifs"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"] = self.request.GET.get("etat", "actifs")
        context["seat_counts"] = selectors.seat_counts(timezone.localdate())
        return context


class MandateExportView(MandatesPermission, View):
    """The mandates shown by the list (running, ended or all) as CSV."""

    def get(self, request):
        mandates = selectors.mandates_in_state(request.GET.get("etat", "actifs"))
        headers, rows = selectors.mandate_export(mandates)
        return exports.csv_response("comite-de-suivi-composition.csv", headers, rows)


class MandateCreateView(MandatesPermission, FormPage):
    template_name = "governance/staff/mandate_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MandateForm())
        context["mandate"] = None
        return context

    def save(self, form):
        data = form.cleaned_data
        return services.mandate_create(
            mandate=form.instance,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            by=self.request.user,
        )

    def success(self, mandate):
        messages.success(
            self.request,
            _("The mandate %(of_person)s has been recorded.")
            % {"of_person": french.of(mandate.person)},
        )
        return redirect("governance:mandate_list")

    def post(self, request):
        return self.submit(MandateForm(request.POST))


class MandateUpdateView(MandatesPermission, FormPage):
    """Edit a mandate; staff read its audit trail (every change, before and after) below."""

    template_name = "governance/staff/mandate_form.html"

    def get_mandate(self):
        return get_object_or_404(Mandate.objects.with_people(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mandate = kwargs.get("mandate") or self.get_mandate()
        context.setdefault("form", MandateForm(instance=mandate))
        context["mandate"] = mandate
        context["audit_entries"] = audit_entries(mandate)
        return context

    def save(self, form):
        return services.mandate_update(mandate=form.instance, by=self.request.user)

    def success(self, mandate):
        messages.success(self.request, _("The mandate has been updated."))
        return redirect("governance:mandate_list")

    def post(self, request, pk):
        mandate = self.get_mandate()
        return self.submit(MandateForm(request.POST, instance=mandate), mandate=mandate)


# --- meetings -------------------------------------------------------------------------------


class MeetingListView(MeetingsPermission, ListView):
    template_name = "governance/staff/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get_queryset(self):
        return selectors.meetings_for_staff()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        context.update({"cycle": selectors.year_cycle(year), "year": str(year)})
        return context


class MeetingFormView(MeetingsPermission, FormPage):
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

    def save(self, form):
        return services.meeting_save(meeting=form.instance, changed=form.changed_data)

    def success(self, result):
        meeting, notified = result
        if notified:
            messages.success(
                self.request,
                _("The meeting has been moved: every member received the new convocation."),
            )
        else:
            messages.success(self.request, _("The meeting has been saved."))
        return redirect(meeting.get_manage_url())

    def post(self, request, pk=None):
        meeting = self.get_meeting()
        if meeting is not None and not meeting.is_editable:
            raise PermissionDenied
        return self.submit(MeetingForm(request.POST, instance=meeting))


PAST_MEETING_WARNING = gettext_lazy(
    "The hours of this meeting have passed: the members are convened to a meeting that is "
    "over. Check its date and hours."
)


def manage_context(meeting, user, **extra) -> dict:
    """The context of a meeting's management page."""
    return {
        **meeting_context(meeting, user, page=selectors.meeting_manage(meeting, user)),
        "document_form": DocumentForm(),
        "approve_form": ApproveMinutesForm(meeting=meeting),
        "cancel_form": CancelMeetingForm(),
        "past_warning": PAST_MEETING_WARNING,
        **extra,
    }


class MeetingManageView(MeetingsPermission, TemplateView):
    template_name = "governance/staff/meeting_manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(Meeting, pk=kwargs["pk"])
        context.update(manage_context(meeting, self.request.user))
        return context


class MeetingActionView(MeetingsPermission, StaffActionView):
    def get_queryset(self):
        return Meeting.objects.all()


class MeetingConveneView(MeetingActionView):
    success_message = gettext_lazy("The convocation has been sent to every member.")

    def perform(self, meeting, data):
        meeting = services.meeting_convene(meeting=meeting, user=self.request.user)
        if meeting.is_over:
            messages.warning(self.request, str(PAST_MEETING_WARNING))
        return meeting


class MeetingCancelView(MeetingActionView):
    """Cancel a planned or convened meeting; a missing reason re-renders the page."""

    form_class = CancelMeetingForm

    def perform(self, meeting, data):
        self.was_convened = meeting.status == MeetingStatus.CONVENED
        return services.meeting_cancel(meeting=meeting, user=self.request.user, **data)

    def get_success_message(self, result):
        if self.was_convened:
            return _("The meeting is cancelled: every member convened has been told by e-mail.")
        return _("The meeting is cancelled.")

    def form_invalid(self, form):
        context = manage_context(self.object, self.request.user, cancel_form=form)
        return render(self.request, "governance/staff/meeting_manage.html", context, status=422)


class MeetingRemindView(MeetingActionView):
    def perform(self, meeting, data):
        return services.meeting_remind(meeting=meeting)

    def get_success_message(self, count):
        return ngettext(
            "A reminder has been sent to %(count)d member.",
            "A reminder has been sent to %(count)d members.",
            count,
        ) % {"count": count}


class MinutesApproveView(MeetingActionView):
    form_class = ApproveMinutesForm
    invalid_message = gettext_lazy("Choose the later meeting at which the minutes were approved.")
    success_message = gettext_lazy("The minutes are approved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.object}

    def perform(self, meeting, data):
        return services.minutes_approve(
            meeting=meeting, at_meeting=data["at_meeting"], user=self.request.user
        )


class AttendanceSheetView(MeetingsPermission, View):
    """The attendance sheet to sign at the meeting, as a PDF."""

    def get(self, request, pk):
        meeting = get_object_or_404(Meeting, pk=pk)
        content = pdf.render_pdf(
            "pdf/governance/attendance_sheet.html",
            {
                "meeting": meeting,
                "rows": selectors.attendance_sheet(meeting),
                "items": meeting.items.all(),
            },
        )
        return pdf.pdf_response(content, f"emargement-{meeting.date:%Y-%m-%d}.pdf")


class MeetingFormPage(MeetingsPermission, FormPage):
    """A form page about one meeting, reached from its management page."""

    def get_meeting(self):
        return get_object_or_404(Meeting, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault("form", self.build_form(meeting))
        context["meeting"] = meeting
        return context

    def build_form(self, meeting, data=None, files=None):
        raise NotImplementedError

    def post(self, request, pk):
        self.meeting = self.get_meeting()
        return self.submit(
            self.build_form(self.meeting, request.POST, request.FILES), meeting=self.meeting
        )


class AttendanceView(MeetingFormPage):
    template_name = "governance/staff/attendance_form.html"

    def get(self, request, pk):
        meeting = self.get_meeting()
        if meeting.status not in {MeetingStatus.CONVENED, MeetingStatus.HELD}:
            messages.error(request, _("Attendance is recorded once the meeting has been convened."))
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(meeting=meeting))

    def build_form(self, meeting, data=None, files=None):
        seats, attendances = selectors.attendance_seats(meeting)
        return AttendanceForm(data, seats=seats, attendances=attendances)

    def save(self, form):
        return services.attendance_record(
            meeting=self.meeting, user=self.request.user, presences=form.presences()
        )

    def success(self, meeting):
        quorum = selectors.meeting_quorum(meeting)
        level = messages.success if quorum.met and not quorum.colleges_short else messages.warning
        level(
            self.request,
            _("Attendance recorded. %(summary)s") % {"summary": quorum.summary},
        )
        return redirect(meeting.get_manage_url())


class MinutesView(MeetingFormPage):
    template_name = "governance/staff/minutes_form.html"

    def get(self, request, pk):
        meeting = self.get_meeting()
        if meeting.status != MeetingStatus.HELD:
            messages.error(
                request, _("Minutes are written once the meeting has been held, until approved.")
            )
            return redirect(meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(meeting=meeting))

    def build_form(self, meeting, data=None, files=None):
        if data is None:
            return MinutesForm(initial={"minutes": meeting.minutes}, meeting=meeting)
        return MinutesForm(data, files, meeting=meeting)

    def save(self, form):
        return services.minutes_save(
            meeting=self.meeting,
            text=form.cleaned_data["minutes"],
            upload=form.cleaned_data.get("minutes_file"),
        )

    def success(self, meeting):
        messages.success(self.request, _("The minutes have been saved."))
        return redirect(meeting.get_manage_url())


# --- agenda ---------------------------------------------------------------------------------


class AgendaItemFormView(MeetingsPermission, FormPage):
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

    def save(self, form):
        return services.agenda_item_save(
            item=form.instance, applications=form.cleaned_data["applications"]
        )

    def success(self, item):
        messages.success(self.request, _("The agenda item has been saved."))
        return redirect(item.meeting.get_manage_url())

    def post(self, request, **kwargs):
        meeting, item = self.get_objects()
        return self.submit(AgendaItemForm(request.POST, instance=item, meeting=meeting))


class ItemActionView(MeetingsPermission, StaffActionView):
    pk_url_kwarg = "item_pk"

    def get_queryset(self):
        return AgendaItem.objects.select_related("meeting")

    def meeting_of(self, item):
        return item.meeting


class AgendaItemDeleteView(ItemActionView):
    success_message = gettext_lazy("The agenda item has been deleted.")

    def perform(self, item, data):
        return services.agenda_item_delete(item=item)


class DocumentUploadView(ItemActionView):
    form_class = DocumentForm
    success_message = gettext_lazy("The document has been added to the meeting file.")

    def perform(self, item, data):
        return services.document_add(
            item=item, title=data["title"], upload=data["file"], user=self.request.user
        )


class DocumentDeleteView(MeetingsPermission, StaffActionView):
    success_message = gettext_lazy("The document has been removed from the meeting file.")

    def get_queryset(self):
        return AgendaDocument.objects.select_related("item__meeting")

    def meeting_of(self, document):
        return document.item.meeting

    def perform(self, document, data):
        return services.document_delete(document=document)


# --- opinions -------------------------------------------------------------------------------


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


class OpinionCreateView(PermissionMixin, FormPage):
    permission_required = "governance.record_opinion"
    template_name = "governance/staff/opinion_form.html"

    def get_item(self):
        return get_object_or_404(
            AgendaItem.objects.select_related("meeting", "programme", "strategy"),
            pk=self.kwargs["item_pk"],
        )

    def build_form(self, item, data=None):
        voters, conflicted = selectors.opinion_voters(item)
        return OpinionForm(data, voters=voters, conflicted=conflicted)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = kwargs.get("item") or self.get_item()
        context.setdefault("form", self.build_form(item))
        context.update(
            {
                "item": item,
                "meeting": item.meeting,
                "quorum": selectors.meeting_quorum(item.meeting),
                "conflicts": item.conflicts.select_related("mandate__person"),
                "file_summaries": selectors.item_file_summaries(item),
            }
        )
        return context

    def get(self, request, item_pk):
        item = self.get_item()
        if Opinion.objects.filter(item=item).exists():
            messages.info(request, _("The opinion on this item has already been recorded."))
            return redirect(item.meeting.get_manage_url())
        return self.render_to_response(self.get_context_data(item=item))

    def save(self, form):
        data = form.cleaned_data
        return services.opinion_record(
            item=self.item,
            user=self.request.user,
            outcome=data["outcome"],
            text=data["text"],
            votes=form.votes(),
        )

    def success(self, opinion):
        messages.success(self.request, _opinion_message(opinion.files_report))
        return redirect(self.item.meeting.get_manage_url())

    def post(self, request, item_pk):
        self.item = self.get_item()
        return self.submit(self.build_form(self.item, request.POST), item=self.item)
