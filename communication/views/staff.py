"""Métro staff pages (/gestion/…): events, news, working groups, strategies, statistics."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskException

from ess_metro.actions import ServiceActionView, TransitionView
from ess_metro.permissions import PermissionMixin, require

from .. import selectors, services
from ..forms import (
    DatasetForm,
    DatasetImportForm,
    EventForm,
    NewsForm,
    StrategyForm,
    WorkingGroupForm,
)
from ..models import CommunicationStrategy, Dataset, Event, EventStatus, NewsItem, WorkingGroup
from ..tasks import import_dataset


class StaffFormMixin(PermissionMixin):
    """A staff form on the shared page: a title, a cancel link; saving calls one service."""

    template_name = "communication/staff/form.html"
    title = ""
    cancel_url = ""
    publish_button = False
    success_message = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("cancel_url", self.cancel_url)
        kwargs.setdefault("publish_button", self.publish_button)
        return super().get_context_data(**kwargs)

    def save(self, form):
        return services.form_save(form=form, user=self.request.user)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def form_valid(self, form):
        self.object = self.save(form)
        messages.success(self.request, str(self.success_message))
        return redirect(self.get_success_url())


# --- events ----------------------------------------------------------------------------------


class StaffEventListView(PermissionMixin, ListView):
    permission_required = "communication.manage_events"
    template_name = "communication/staff/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return selectors.staff_events(self.request.GET.get("statut", ""))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=EventStatus.choices,
            selected_status=self.request.GET.get("statut", ""),
            proposed_count=selectors.proposed_count(),
            mois_years=selectors.mois_years(),
            **kwargs,
        )


class EventFormMixin(StaffFormMixin):
    permission_required = "communication.manage_events"
    form_class = EventForm
    success_message = gettext_lazy("The event has been saved.")

    def get_success_url(self):
        return reverse("communication:staff_event_update", args=[self.object.pk])


class StaffEventCreateView(EventFormMixin, CreateView):
    title = gettext_lazy("New event")
    cancel_url = "communication:staff_events"
    publish_button = True

    def save(self, form):
        publish = "publish" in self.request.POST
        return services.event_create(form=form, user=self.request.user, publish=publish)


class StaffEventUpdateView(EventFormMixin, UpdateView):
    """The event's details, its workflow buttons, its log and its budget's audit trail."""

    template_name = "communication/staff/event_form.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).select_related("proposed_by")

    def get_context_data(self, **kwargs):
        page = selectors.event_staff_page(self.object, self.request.user)
        return super().get_context_data(**selectors.as_context(page), **kwargs)

    def save(self, form):
        return services.event_update(form=form, user=self.request.user)


class StaffEventTransitionView(PermissionMixin, TransitionView):
    """Publish an event in the agenda, or withdraw it (the transition comes from the URL)."""

    permission_required = "communication.publish_event"
    transitions = ("publish", "unpublish")
    success_messages = {
        "publish": gettext_lazy("The event is published in the agenda."),
        "unpublish": gettext_lazy("The event is withdrawn from the agenda."),
    }

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user)

    def get_success_message(self, result) -> str:
        return str(self.success_messages[self.kwargs["transition"]])

    def get_success_url(self, result) -> str:
        return self.get_failure_url()

    def get_failure_url(self) -> str:
        return reverse("communication:staff_event_update", args=[self.object.pk])


# --- news ------------------------------------------------------------------------------------


class StaffNewsListView(PermissionMixin, ListView):
    permission_required = "communication.manage_news"
    template_name = "communication/staff/news_list.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        return selectors.news_for_list()


class NewsFormMixin(StaffFormMixin):
    permission_required = "communication.manage_news"
    form_class = NewsForm
    cancel_url = "communication:staff_news"
    success_message = gettext_lazy("The news item has been saved.")


class StaffNewsCreateView(NewsFormMixin, CreateView):
    title = gettext_lazy("New news item")

    def save(self, form):
        return services.news_create(form=form, user=self.request.user)


class StaffNewsUpdateView(NewsFormMixin, UpdateView):
    title = gettext_lazy("Edit the news item")

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user)


class StaffNewsDeleteView(PermissionMixin, ServiceActionView):
    permission_required = "communication.manage_news"
    success_message = gettext_lazy("The news item has been deleted.")

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user)

    def perform(self, item, data):
        services.news_delete(item=item, user=self.request.user)

    def get_success_url(self, result) -> str:
        return reverse("communication:staff_news")


# --- working groups --------------------------------------------------------------------------


class GroupListView(PermissionMixin, ListView):
    permission_required = "communication.manage_working_groups"
    template_name = "communication/staff/group_list.html"
    context_object_name = "groups"

    def get_queryset(self):
        return selectors.groups_for_list()


class GroupFormMixin(StaffFormMixin):
    permission_required = "communication.manage_working_groups"
    form_class = WorkingGroupForm
    cancel_url = "communication:group_list"
    success_message = gettext_lazy("The working group has been saved.")


class GroupCreateView(GroupFormMixin, CreateView):
    title = gettext_lazy("New working group")


class GroupUpdateView(GroupFormMixin, UpdateView):
    title = gettext_lazy("Edit the working group")

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)


# --- strategy --------------------------------------------------------------------------------


class StrategyListView(PermissionMixin, ListView):
    permission_required = "communication.edit_strategy"
    template_name = "communication/staff/strategy_list.html"
    context_object_name = "strategies"

    def get_queryset(self):
        return selectors.strategies_for_list()


class StrategyFormMixin(StaffFormMixin):
    permission_required = "communication.edit_strategy"
    form_class = StrategyForm
    cancel_url = "communication:strategy_list"
    success_message = gettext_lazy("The strategy has been saved.")


class StrategyCreateView(StrategyFormMixin, CreateView):
    title = gettext_lazy("New communication strategy")

    def get_initial(self):
        return {"year": timezone.localdate().year + 1}


def _strategy(user, year) -> CommunicationStrategy:
    return get_object_or_404(CommunicationStrategy.objects.visible_to(user), year=year)


def _draft_strategy(user, year) -> CommunicationStrategy:
    """The strategy of ``year`` while staff may still change it (a 403 once submitted)."""
    strategy = _strategy(user, year)
    require(user, "communication.edit_strategy_content", strategy)
    return strategy


class StrategyUpdateView(StrategyFormMixin, UpdateView):
    title = gettext_lazy("Edit the communication strategy")

    def get_object(self, queryset=None):
        return _draft_strategy(self.request.user, self.kwargs["year"])


class StrategyTransitionView(PermissionMixin, TransitionView):
    """Submit the strategy to the committee, or take it back to draft."""

    permission_required = "communication.edit_strategy"
    transitions = ("submit", "withdraw")
    success_messages = {
        "submit": gettext_lazy("The strategy is submitted to the committee."),
        "withdraw": gettext_lazy("The strategy is back to draft."),
    }

    def get_object(self):
        return _strategy(self.request.user, self.kwargs["year"])

    def get_success_message(self, result) -> str:
        return str(self.success_messages[self.kwargs["transition"]])


class StrategyActionDeleteView(PermissionMixin, ServiceActionView):
    permission_required = "communication.edit_strategy"
    success_message = gettext_lazy("The action has been removed.")

    def get_object(self):
        strategy = _draft_strategy(self.request.user, self.kwargs["year"])
        return get_object_or_404(strategy.actions, pk=self.kwargs["pk"])

    def perform(self, action, data):
        return services.strategy_action_delete(action=action, user=self.request.user)

    def get_failure_url(self) -> str:
        return self.object.strategy.get_absolute_url()


# --- statistics ------------------------------------------------------------------------------


class DatasetListView(PermissionMixin, ListView):
    permission_required = "communication.import_statistics"
    template_name = "communication/staff/dataset_list.html"
    context_object_name = "datasets"

    def get_queryset(self):
        return selectors.datasets_for_list()


def _import_message(outcome: dict) -> str:
    message = _("%(count)s rows read and checked: check the preview, then publish.") % {
        "count": outcome["lines_read"]
    }
    if outcome["skipped"]:
        message += " " + _(
            "%(count)s establishments were left out (not ESS, closed, or outside "
            "the communes of the Métro with an INSEE code)."
        ) % {"count": outcome["skipped"]}
    return message


IMPORT_TEMPLATE = "communication/staff/dataset_import.html"


def _import_outcome(request, task_result, *, form):
    """The import is over: its preview, or the form again with the errors."""
    if task_result.status != TaskResultStatus.SUCCESSFUL:
        errors = [_("The import stopped unexpectedly: send the file again.")]
    else:
        errors = task_result.return_value.get("errors", [])
    if errors:
        return render(request, IMPORT_TEMPLATE, {"form": form, "import_errors": errors})
    messages.success(request, _import_message(task_result.return_value))
    return redirect("communication:dataset_preview", pk=task_result.return_value["dataset"])


class DatasetImportView(PermissionMixin, View):
    """The file is checked and imported by the worker; the page follows it."""

    permission_required = "communication.import_statistics"

    def get(self, request):
        form = DatasetImportForm(initial={"data_date": timezone.localdate()})
        return render(request, IMPORT_TEMPLATE, {"form": form, "import_errors": []})

    def post(self, request):
        form = DatasetImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, IMPORT_TEMPLATE, {"form": form, "import_errors": []})
        task_result = services.dataset_import_queue(form=form, user=request.user)
        if task_result.is_finished:  # no worker (development, tests): done already
            return _import_outcome(request, task_result, form=form)
        return redirect("communication:dataset_import_status", task_id=task_result.id)


class DatasetImportStatusView(PermissionMixin, View):
    """Where an import queued for the worker is followed: refreshes until it is done."""

    permission_required = "communication.import_statistics"

    def get(self, request, task_id):
        try:
            task_result = import_dataset.get_result(str(task_id))
        except (TaskException, NotImplementedError) as error:
            raise Http404 from error
        if task_result.kwargs.get("user_id") != request.user.pk:
            raise Http404
        if not task_result.is_finished:
            template = "dataset_import_status" if not request.htmx else "_dataset_import_progress"
            return render(
                request,
                f"communication/staff/{template}.html",
                {"task_result": task_result, "title": task_result.kwargs["fields"]["title"]},
            )
        if request.htmx:  # done: the whole page loads again and shows the outcome
            return HttpResponse(headers={"HX-Refresh": "true"})
        kwargs = task_result.kwargs
        form = DatasetImportForm(initial={**kwargs["fields"], "year": kwargs["year"]})
        return _import_outcome(request, task_result, form=form)


class DatasetPreviewView(PermissionMixin, DetailView):
    permission_required = "communication.import_statistics"
    template_name = "communication/staff/dataset_preview.html"
    context_object_name = "dataset"

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        page = selectors.dataset_preview(self.object, self.request.user)
        return super().get_context_data(**selectors.as_context(page), **kwargs)


class DatasetUpdateView(StaffFormMixin, UpdateView):
    """Correct a dataset's description, source or licence (its figures come only from files)."""

    permission_required = "communication.import_statistics"
    form_class = DatasetForm
    title = gettext_lazy("Edit the dataset's description")
    cancel_url = "communication:dataset_list"
    success_message = gettext_lazy("The dataset's description has been saved.")

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    def get_success_url(self):
        return reverse("communication:dataset_preview", args=[self.object.pk])


class DatasetPublishView(PermissionMixin, TransitionView):
    permission_required = "communication.import_statistics"
    transitions = ("publish",)
    success_message = gettext_lazy("The dataset is published on the data page.")

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    def get_success_url(self, result) -> str:
        return self.get_failure_url()

    def get_failure_url(self) -> str:
        return reverse("communication:dataset_preview", args=[self.object.pk])


class DatasetDiscardView(PermissionMixin, ServiceActionView):
    permission_required = "communication.import_statistics"
    success_message = gettext_lazy("The imported file has been discarded.")

    def get_queryset(self):
        return Dataset.objects.visible_to(self.request.user)

    def perform(self, dataset, data):
        services.dataset_discard(dataset=dataset, user=self.request.user)

    def get_success_url(self, result) -> str:
        return reverse("communication:dataset_list")

    def get_failure_url(self) -> str:
        return reverse("communication:dataset_preview", args=[self.object.pk])
