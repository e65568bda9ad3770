from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from ess_metro.accounts import roles
from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.directory.models import Organisation
from ess_metro.exports import csv_response
from ess_metro.pdf import pdf_response, render_pdf

from . import feeds, services, stats
from .forms import (
    DatasetForm,
    DatasetImportForm,
    EventForm,
    EventProposalForm,
    GroupMeetingForm,
    NewsForm,
    StrategyActionForm,
    StrategyForm,
    WorkingGroupForm,
)
from .models import (
    CommunicationStrategy,
    Dataset,
    Event,
    EventStatus,
    NewsItem,
    Statistic,
    StrategyAction,
    WorkingGroup,
)

public = method_decorator(login_not_required, name="dispatch")


def _htmx_template(request, full: str, partial: str) -> str:
    return partial if getattr(request, "htmx", False) else full


# --- public: agenda --------------------------------------------------------------------------


@login_not_required
def agenda(request):
    """Upcoming published events, filtered by commune, kind and Mois de l'ESS."""
    events, form, filters = feeds.filter_events(request.GET, Event.objects.upcoming())
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    mois_years = [
        str(moment.year)
        for moment in Event.objects.published()
        .filter(mois_ess=True)
        .datetimes("starts_at", "year", order="DESC")
    ]
    context = {
        "form": form,
        "page_obj": page,
        "events": page.object_list,
        "mois_years": mois_years,
        "filtered": any(filters.values()) if filters else False,
        "can_propose": roles.has_role(request.user, roles.APPLICANT),
    }
    template = _htmx_template(
        request, "communication/agenda.html", "communication/_event_list.html"
    )
    return render(request, template, context)


def _visible_event(request, slug):
    queryset = Event.objects.visible_to(request.user).select_related(
        "commune", "organiser", "programme_line"
    )
    return get_object_or_404(queryset, slug=slug)


@login_not_required
def event_detail(request, slug):
    event = _visible_event(request, slug)
    is_staff = roles.has_role(request.user, roles.STAFF)
    return render(
        request,
        "communication/event_detail.html",
        {
            "event": event,
            "is_staff": is_staff,
            "news": event.news.published() if event.is_published else [],
        },
    )


@login_not_required
def event_ics(request, slug):
    event = get_object_or_404(
        Event.objects.published().select_related("commune", "organiser"), slug=slug
    )
    content = feeds.calendar_bytes([event], name=event.title)
    return feeds.ics_response(content, f"{event.slug}.ics")


def _mois_events(year):
    return list(Event.objects.mois_ess(year).select_related("commune", "organiser"))


def _mois_context(year):
    events = _mois_events(year)
    days = {}
    for event in events:
        days.setdefault(timezone.localdate(event.starts_at), []).append(event)
    communes = sorted({event.commune.name for event in events})
    return {
        "year": str(year),
        "events": events,
        "days": sorted(days.items()),
        "communes": communes,
        "organisers": sorted({event.organiser.name for event in events}),
    }


@login_not_required
def mois_ess(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    return render(request, "communication/mois_ess.html", _mois_context(year))


@login_not_required
def mois_ess_pdf(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    context = _mois_context(year)
    if not context["events"]:
        raise Http404
    pdf = render_pdf("pdf/communication/mois_ess.html", context)
    return pdf_response(pdf, f"mois-de-l-ess-{year}.pdf")


# --- public: feeds ---------------------------------------------------------------------------


@login_not_required
@cache_control(public=True, max_age=900)
def agenda_ics(request):
    """The calendar; the agenda's filters (?commune=, ?kind=, ?mois=1) narrow it."""
    content = feeds.calendar_bytes(
        feeds.feed_events(request.GET), name=_("ESS events — Grenoble-Alpes Métropole")
    )
    return feeds.ics_response(content, "agenda-ess-metro.ics")


@login_not_required
def feeds_page(request):
    return render(
        request,
        "communication/feeds.html",
        {"json_example": feeds.JSON_FEED_VERSION},
    )


# --- public: news ----------------------------------------------------------------------------


@public
class NewsListView(ListView):
    template_name = "communication/news_list.html"
    context_object_name = "items"
    paginate_by = 20

    def get_queryset(self):
        return NewsItem.objects.published().select_related("event")


@public
class NewsDetailView(DetailView):
    template_name = "communication/news_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).select_related("event")


# --- public: statistics ----------------------------------------------------------------------


def _statistics_context(request):
    datasets = list(stats.published_datasets())
    selected = None
    wanted = request.GET.get("jeu", "")
    if wanted.isdigit():
        selected = next((d for d in datasets if d.pk == int(wanted)), None)
        if selected is None:
            raise Http404
    elif datasets:
        # The most recent dataset with figures by commune, else the most recent one.
        selected = datasets[0]
    measure = stats.MEASURES.get(request.GET.get("mesure", ""), "jobs")
    figures = stats.build(selected, measure)
    return {
        "datasets": datasets,
        "selected": selected,
        "measure": measure,
        "measure_label": stats.measure_label(measure),
        **figures,
    }


@login_not_required
def statistics(request):
    return render(request, "communication/statistics.html", _statistics_context(request))


@login_not_required
def statistics_pdf(request):
    context = _statistics_context(request)
    if context["selected"] is None:
        raise Http404
    context["generated_on"] = timezone.localdate()
    pdf = render_pdf("pdf/communication/statistics.html", context)
    return pdf_response(pdf, f"donnees-ess-metro-{context['selected'].pk}.pdf")


@login_not_required
def dataset_csv(request, pk):
    dataset = get_object_or_404(Dataset.objects.visible_to(request.user), pk=pk)
    rows = Statistic.objects.filter(dataset=dataset).select_related("commune")
    return csv_response(
        dataset.csv_filename(),
        [
            "annee",
            "code_commune",
            "commune",
            "famille",
            "secteur",
            "etablissements",
            "emplois",
            "source",
            "licence",
        ],
        (
            [
                row.year,
                row.commune.insee_code if row.commune else "",
                row.commune.name if row.commune else "",
                row.family,
                row.sector,
                row.establishments,
                row.jobs,
                dataset.source,
                dataset.licence,
            ]
            for row in rows.order_by("year", "commune__name", "family", "sector")
        ),
    )


# --- member organisations: proposing events --------------------------------------------------


class ApplicantRequiredMixin(LoginRequiredMixin):
    """Members of an organisation (the applicant role); others get a 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            roles.require_role(request.user, roles.APPLICANT)
        return super().dispatch(request, *args, **kwargs)


class MemberEventListView(ApplicantRequiredMixin, ListView):
    template_name = "communication/member_events.html"
    context_object_name = "events"

    def get_queryset(self):
        return (
            Event.objects.proposed_by_member(self.request.user)
            .select_related("commune", "organiser")
            .order_by("-starts_at")
        )


class EventProposalUpdateView(ApplicantRequiredMixin, UpdateView):
    """A member organisation corrects its proposal until staff publish it."""

    template_name = "communication/event_propose.html"
    form_class = EventProposalForm
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.proposed_by_member(self.request.user).filter(
            status=EventStatus.PROPOSED
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = Organisation.objects.filter(
            memberships__user=self.request.user
        ).order_by("name")
        return kwargs

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your proposal has been updated."))
        return redirect("communication:member_events")


class EventProposeView(ApplicantRequiredMixin, CreateView):
    template_name = "communication/event_propose.html"
    form_class = EventProposalForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = Organisation.objects.filter(
            memberships__user=self.request.user
        ).order_by("name")
        return kwargs

    def form_valid(self, form):
        event = services.event_propose(form=form, user=self.request.user)
        messages.success(
            self.request,
            _("Thank you: the Métro's ESS team will check “%(title)s” and publish it.")
            % {"title": event.title},
        )
        return redirect("communication:member_events")


# --- staff: events ---------------------------------------------------------------------------


class StaffEventListView(StaffRequiredMixin, ListView):
    template_name = "communication/staff/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        queryset = Event.objects.for_list().order_by("-starts_at")
        status = self.request.GET.get("statut", "")
        if status in EventStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = EventStatus.choices
        context["selected_status"] = self.request.GET.get("statut", "")
        context["proposed_count"] = Event.objects.filter(status=EventStatus.PROPOSED).count()
        context["mois_years"] = [
            str(moment.year)
            for moment in Event.objects.published()
            .filter(mois_ess=True)
            .datetimes("starts_at", "year", order="DESC")
        ]
        return context


class StaffEventCreateView(StaffRequiredMixin, CreateView):
    template_name = "communication/staff/form.html"
    form_class = EventForm
    extra_context = {
        "publish_button": True,
        "title": gettext_lazy("New event"),
        "cancel_url": "communication:staff_events",
    }

    def form_valid(self, form):
        event = services.event_create(
            form=form, user=self.request.user, publish="publish" in self.request.POST
        )
        messages.success(self.request, _("The event has been saved."))
        return redirect("communication:staff_event_update", pk=event.pk)


class StaffEventUpdateView(StaffRequiredMixin, UpdateView):
    template_name = "communication/staff/event_form.html"
    form_class = EventForm
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).select_related("proposed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["transitions"] = self.object.transitions.select_related("user")
        return context

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The event has been saved."))
        return redirect("communication:staff_event_update", pk=self.object.pk)


class StaffEventTransitionView(StaffRequiredMixin, View):
    action = "publish"

    def post(self, request, pk):
        event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
        service = services.event_publish if self.action == "publish" else services.event_unpublish
        try:
            service(event=event, user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if self.action == "publish":
                messages.success(request, _("The event is published in the agenda."))
            else:
                messages.success(request, _("The event is withdrawn from the agenda."))
        return redirect("communication:staff_event_update", pk=pk)


# --- staff: news -----------------------------------------------------------------------------


class StaffNewsListView(StaffRequiredMixin, ListView):
    template_name = "communication/staff/news_list.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        return NewsItem.objects.select_related("event").order_by("-published_on", "-pk")


class StaffNewsCreateView(StaffRequiredMixin, CreateView):
    template_name = "communication/staff/form.html"
    form_class = NewsForm

    extra_context = {
        "title": gettext_lazy("New news item"),
        "cancel_url": "communication:staff_news",
    }

    def form_valid(self, form):
        item = services.news_create(form=form, user=self.request.user)
        messages.success(self.request, _("The news item has been saved."))
        return redirect(item)


class StaffNewsDeleteView(StaffRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(NewsItem.objects.visible_to(request.user), pk=pk)
        item.delete()
        messages.success(request, _("The news item has been deleted."))
        return redirect("communication:staff_news")


class StaffNewsUpdateView(StaffRequiredMixin, UpdateView):
    template_name = "communication/staff/form.html"
    form_class = NewsForm

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user)

    extra_context = {
        "title": gettext_lazy("Edit the news item"),
        "cancel_url": "communication:staff_news",
    }

    def form_valid(self, form):
        item = form.save()
        messages.success(self.request, _("The news item has been saved."))
        return redirect(item)


# --- staff: working group --------------------------------------------------------------------


class GroupListView(StaffRequiredMixin, ListView):
    template_name = "communication/staff/group_list.html"
    context_object_name = "groups"

    def get_queryset(self):
        return WorkingGroup.objects.annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )


class GroupCreateView(StaffRequiredMixin, CreateView):
    template_name = "communication/staff/form.html"
    form_class = WorkingGroupForm

    extra_context = {
        "title": gettext_lazy("New working group"),
        "cancel_url": "communication:group_list",
    }

    def form_valid(self, form):
        group = form.save()
        messages.success(self.request, _("The working group has been saved."))
        return redirect(group)


class GroupUpdateView(StaffRequiredMixin, UpdateView):
    template_name = "communication/staff/form.html"
    form_class = WorkingGroupForm

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)

    extra_context = {
        "title": gettext_lazy("Edit the working group"),
        "cancel_url": "communication:group_list",
    }

    def form_valid(self, form):
        group = form.save()
        messages.success(self.request, _("The working group has been saved."))
        return redirect(group)


class GroupDetailView(LoginRequiredMixin, DetailView):
    """The group, its members and meetings, read by staff and the group's members; staff
    record meetings here."""

    template_name = "communication/group_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.object.members.order_by("last_name", "first_name")
        context["meetings"] = self.object.meetings.all()
        context["strategies"] = self.object.strategies.all()
        context["is_staff"] = roles.has_role(self.request.user, roles.STAFF)
        context.setdefault("meeting_form", GroupMeetingForm())
        return context

    def post(self, request, pk):
        roles.require_role(request.user, roles.STAFF)
        self.object = self.get_object()
        form = GroupMeetingForm(request.POST)
        if form.is_valid():
            meeting = form.save(commit=False)
            meeting.group = self.object
            meeting.save()
            messages.success(request, _("The meeting has been recorded."))
            return redirect(self.object)
        return self.render_to_response(self.get_context_data(meeting_form=form))


# --- strategy --------------------------------------------------------------------------------


class StrategyListView(StaffRequiredMixin, ListView):
    template_name = "communication/staff/strategy_list.html"
    context_object_name = "strategies"

    def get_queryset(self):
        return CommunicationStrategy.objects.select_related("working_group").annotate(
            action_count=Count("actions"), budget_total=Sum("actions__budget")
        )


class StrategyCreateView(StaffRequiredMixin, CreateView):
    template_name = "communication/staff/form.html"
    form_class = StrategyForm

    def get_initial(self):
        return {"year": timezone.localdate().year + 1}

    extra_context = {
        "title": gettext_lazy("New communication strategy"),
        "cancel_url": "communication:strategy_list",
    }

    def form_valid(self, form):
        strategy = form.save()
        messages.success(self.request, _("The strategy has been saved."))
        return redirect(strategy)


def _editable_strategy(user, year):
    strategy = get_object_or_404(CommunicationStrategy.objects.visible_to(user), year=year)
    if not strategy.is_editable:
        raise PermissionDenied
    return strategy


class StrategyUpdateView(StaffRequiredMixin, UpdateView):
    template_name = "communication/staff/form.html"
    form_class = StrategyForm

    def get_object(self, queryset=None):
        return _editable_strategy(self.request.user, self.kwargs["year"])

    extra_context = {
        "title": gettext_lazy("Edit the communication strategy"),
        "cancel_url": "communication:strategy_list",
    }

    def form_valid(self, form):
        strategy = form.save()
        messages.success(self.request, _("The strategy has been saved."))
        return redirect(strategy)


class StrategyDetailView(LoginRequiredMixin, DetailView):
    """Staff, committee members and the drafting group read the strategy; staff edit it while
    it is a draft."""

    template_name = "communication/strategy_detail.html"
    context_object_name = "strategy"

    def get_object(self, queryset=None):
        return get_object_or_404(
            CommunicationStrategy.objects.visible_to(self.request.user).select_related(
                "working_group"
            ),
            year=self.kwargs["year"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = list(
            self.object.actions.select_related("programme_line__programme", "programme_line__axis")
        )
        context["actions"] = actions
        context["budget_total"] = sum((action.budget for action in actions), Decimal("0.00"))
        context["transitions"] = self.object.transitions.select_related("user")
        context["is_staff"] = roles.has_role(self.request.user, roles.STAFF)
        context.setdefault("action_form", StrategyActionForm())
        return context

    def post(self, request, year):
        """Staff add an action to a draft strategy."""
        roles.require_role(request.user, roles.STAFF)
        self.object = _editable_strategy(request.user, year)
        form = StrategyActionForm(request.POST)
        form.instance.strategy = self.object
        if form.is_valid():
            form.save()
            messages.success(request, _("The action has been added."))
            return redirect(self.object)
        return self.render_to_response(self.get_context_data(action_form=form))


class StrategyActionDeleteView(StaffRequiredMixin, View):
    def post(self, request, year, pk):
        strategy = _editable_strategy(request.user, year)
        action = get_object_or_404(StrategyAction, strategy=strategy, pk=pk)
        action.delete()
        messages.success(request, _("The action has been removed."))
        return redirect(strategy)


class StrategyTransitionView(StaffRequiredMixin, View):
    action = "submit"

    def post(self, request, year):
        strategy = get_object_or_404(
            CommunicationStrategy.objects.visible_to(request.user), year=year
        )
        service = {"submit": services.strategy_submit, "withdraw": services.strategy_withdraw}[
            self.action
        ]
        try:
            service(strategy=strategy, user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if self.action == "submit":
                messages.success(request, _("The strategy is submitted to the committee."))
            else:
                messages.success(request, _("The strategy is back to draft."))
        return redirect(strategy)


class StrategyPdfView(LoginRequiredMixin, View):
    """The strategy, its actions, calendar and budget, for the committee's meeting file."""

    def get(self, request, year):
        strategy = get_object_or_404(
            CommunicationStrategy.objects.visible_to(request.user).select_related("working_group"),
            year=year,
        )
        actions = list(
            strategy.actions.select_related("programme_line__programme", "programme_line__axis")
        )
        members = (
            list(strategy.working_group.members.order_by("last_name", "first_name"))
            if strategy.working_group
            else []
        )
        pdf = render_pdf(
            "pdf/communication/strategy.html",
            {
                "strategy": strategy,
                "actions": actions,
                "budget_total": sum((action.budget for action in actions), Decimal("0.00")),
                "members": members,
                "transitions": list(strategy.transitions.select_related("user")),
            },
        )
        return pdf_response(pdf, f"strategie-communication-{year}.pdf")


class StrategyDocumentView(LoginRequiredMixin, View):
    def get(self, request, year):
        strategy = get_object_or_404(
            CommunicationStrategy.objects.visible_to(request.user), year=year
        )
        if not strategy.document:
            raise Http404
        name = strategy.document.name.rsplit("/", 1)[-1]
        return FileResponse(strategy.document.open("rb"), as_attachment=True, filename=name)


# --- staff: statistics -----------------------------------------------------------------------


class DatasetListView(StaffRequiredMixin, ListView):
    template_name = "communication/staff/dataset_list.html"
    context_object_name = "datasets"

    def get_queryset(self):
        return Dataset.objects.select_related("imported_by").annotate(lines=Count("rows"))


class DatasetImportView(StaffRequiredMixin, View):
    template_name = "communication/staff/dataset_import.html"

    def get(self, request):
        form = DatasetImportForm(initial={"data_date": timezone.localdate()})
        return render(request, self.template_name, {"form": form, "import_errors": []})

    def post(self, request):
        form = DatasetImportForm(request.POST, request.FILES)
        import_errors = []
        if form.is_valid():
            try:
                dataset, result = services.dataset_import(form=form, user=request.user)
            except services.ImportRejected as rejected:
                import_errors = rejected.errors
            else:
                message = _("%(count)s rows read and checked: check the preview, then publish.") % {
                    "count": result.lines_read
                }
                if result.skipped:
                    message += " " + _(
                        "%(count)s establishments were left out (not ESS, closed, or outside "
                        "the communes of the Métro with an INSEE code)."
                    ) % {"count": result.skipped}
                messages.success(request, message)
                return redirect("communication:dataset_preview", pk=dataset.pk)
        return render(request, self.template_name, {"form": form, "import_errors": import_errors})


class DatasetPreviewView(StaffRequiredMixin, DetailView):
    template_name = "communication/staff/dataset_preview.html"
    context_object_name = "dataset"

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.object.rows.select_related("commune")
        context["rows"] = rows[:100]
        context["line_total"] = rows.count()
        totals = rows.values("year").annotate(
            establishments=Sum("establishments"), jobs=Sum("jobs")
        )
        context["totals"] = totals.order_by("year")
        context["transitions"] = self.object.transitions.select_related("user")
        return context


class DatasetUpdateView(StaffRequiredMixin, UpdateView):
    """Correct a dataset's description, source or licence (its figures come only from files)."""

    template_name = "communication/staff/form.html"
    form_class = DatasetForm

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    extra_context = {
        "title": gettext_lazy("Edit the dataset's description"),
        "cancel_url": "communication:dataset_list",
    }

    def form_valid(self, form):
        dataset = form.save()
        messages.success(self.request, _("The dataset's description has been saved."))
        return redirect("communication:dataset_preview", pk=dataset.pk)


class DatasetActionView(StaffRequiredMixin, View):
    action = "publish"

    def post(self, request, pk):
        dataset = get_object_or_404(Dataset.objects.visible_to(request.user), pk=pk)
        try:
            if self.action == "publish":
                services.dataset_publish(dataset=dataset, user=request.user)
                messages.success(request, _("The dataset is published on the data page."))
            else:
                services.dataset_discard(dataset=dataset, user=request.user)
                messages.success(request, _("The imported file has been discarded."))
                return redirect("communication:dataset_list")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("communication:dataset_preview", pk=pk)
