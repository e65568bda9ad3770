"""The signed-in person's pages: a member organisation's events, the working group and the
strategy read by its members, the committee and the staff (who also edit them here)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from ess_metro.directory.models import Organisation
from ess_metro.downloads import protected_download
from ess_metro.pdf import pdf_response, render_pdf
from ess_metro.permissions import PermissionMixin, require

from .. import selectors, services
from ..forms import EventProposalForm, GroupMeetingForm, StrategyActionForm
from ..models import CommunicationStrategy, Event, EventStatus, WorkingGroup

# --- member organisations: proposing events --------------------------------------------------


class MemberEventListView(PermissionMixin, ListView):
    permission_required = "communication.propose_event"
    template_name = "communication/member_events.html"
    context_object_name = "events"

    def get_queryset(self):
        return (
            Event.objects.proposed_by_member(self.request.user)
            .select_related("commune", "organiser")
            .order_by("-starts_at")
        )


class ProposalFormMixin(PermissionMixin):
    """The proposal form, its organiser chosen among the member's own organisations."""

    permission_required = "communication.propose_event"
    template_name = "communication/event_propose.html"
    form_class = EventProposalForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = Organisation.objects.filter(
            memberships__user=self.request.user
        ).order_by("name")
        return kwargs


class EventProposalUpdateView(ProposalFormMixin, UpdateView):
    """A member organisation corrects its proposal until staff publish it."""

    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.proposed_by_member(self.request.user).filter(
            status=EventStatus.PROPOSED
        )

    def form_valid(self, form):
        services.event_update(form=form, user=self.request.user)
        messages.success(self.request, _("Your proposal has been updated."))
        return redirect("communication:member_events")


class EventProposeView(ProposalFormMixin, CreateView):
    def form_valid(self, form):
        event = services.event_propose(form=form, user=self.request.user)
        messages.success(
            self.request,
            _("Thank you: the Métro's ESS team will check “%(title)s” and publish it.")
            % {"title": event.title},
        )
        return redirect("communication:member_events")


# --- working group ---------------------------------------------------------------------------


class GroupDetailView(LoginRequiredMixin, DetailView):
    """The group, its members and meetings, read by staff and the group's members; staff
    record meetings here."""

    template_name = "communication/group_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.as_context(selectors.group_page(self.object)))
        context.setdefault("meeting_form", GroupMeetingForm())
        return context

    def post(self, request, pk):
        require(request.user, "communication.manage_working_groups")
        self.object = self.get_object()
        form = GroupMeetingForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(meeting_form=form))
        services.group_meeting_record(group=self.object, form=form, user=request.user)
        messages.success(request, _("The meeting has been recorded."))
        return redirect(self.object)


# --- strategy --------------------------------------------------------------------------------


class StrategyMixin(LoginRequiredMixin):
    """The strategy of the year in the URL, among those the person may read (else a 404)."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            CommunicationStrategy.objects.visible_to(self.request.user).select_related(
                "working_group"
            ),
            year=self.kwargs["year"],
        )


class StrategyDetailView(StrategyMixin, DetailView):
    """Staff, committee members and the drafting group read the strategy; staff edit it while
    it is a draft."""

    template_name = "communication/strategy_detail.html"
    context_object_name = "strategy"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        staff_view = user.has_perm("communication.edit_strategy", self.object)
        page = selectors.strategy_page(self.object, staff_view=staff_view, user=user)
        context.update(selectors.as_context(page))
        context.setdefault("action_form", StrategyActionForm())
        return context

    def post(self, request, year):
        """Staff add an action to a draft strategy."""
        self.object = self.get_object()
        require(request.user, "communication.edit_strategy_content", self.object)
        form = StrategyActionForm(request.POST)
        form.instance.strategy = self.object
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(action_form=form))
        services.strategy_action_add(strategy=self.object, form=form, user=request.user)
        messages.success(request, _("The action has been added."))
        return redirect(self.object)


class StrategyPdfView(StrategyMixin, View):
    """The strategy, its actions, calendar and budget, for the committee's meeting file."""

    def get(self, request, year):
        strategy = self.get_object()
        context = {"strategy": strategy, **selectors.as_context(selectors.strategy_pdf(strategy))}
        pdf = render_pdf("pdf/communication/strategy.html", context)
        return pdf_response(pdf, f"strategie-communication-{year}.pdf")


class StrategyDocumentView(StrategyMixin, View):
    def get(self, request, year):
        return protected_download(self.get_object().document)
