"""Reads of the communication app: what a page, a PDF or an export shows; never writes.

Each function returns a dataclass (or a queryset for a plain list); ``as_context`` spreads a
dataclass into a template context.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ess_metro import workflow
from ess_metro.audit import AuditEntry, audit_entries, audit_entries_of
from ess_metro.directory.models import EssFamily
from ess_metro.money import ZERO
from ess_metro.params import parse_id

from . import charts, feeds, rules
from .models import (
    CommunicationStrategy,
    Dataset,
    Event,
    EventStatus,
    NewsItem,
    Statistic,
    WorkingGroup,
)

MEASURES = {"emplois": "jobs", "etablissements": "establishments"}
TOP_COMMUNES = 15
EVENTS_PER_PAGE = 20


def as_context(data) -> dict:
    """The fields of a dataclass as a template context (without copying the objects)."""
    return {item.name: getattr(data, item.name) for item in fields(data)}


@dataclass(frozen=True)
class Button:
    """A workflow action offered on a page, with the address its form posts to."""

    action: workflow.Action
    url: str


def buttons(obj, user, urls: dict[str, str]) -> list[Button]:
    """The transitions ``user`` may fire on ``obj`` now, each with its URL."""
    return [
        Button(action=action, url=urls[action.name])
        for action in workflow.actions_for(obj, user)
        if action.name in urls
    ]


# --- events and the Mois de l'ESS ------------------------------------------------------------


def mois_years() -> list[str]:
    """The years with a published Mois de l'ESS programme, latest first."""
    return [
        str(moment.year)
        for moment in Event.objects.published()
        .filter(mois_ess=True)
        .datetimes("starts_at", "year", order="DESC")
    ]


@dataclass
class Agenda:
    form: object
    page_obj: Page
    events: list
    mois_years: list[str]
    filtered: bool


def agenda(params, *, page: str | None) -> Agenda:
    """Upcoming published events, filtered by commune, kind and Mois de l'ESS."""
    events, form, filters = feeds.filter_events(params, Event.objects.upcoming())
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(page)
    return Agenda(
        form=form,
        page_obj=page_obj,
        events=page_obj.object_list,
        mois_years=mois_years(),
        filtered=any(filters.values()) if filters else False,
    )


def related_news(event: Event):
    return event.news.published() if event.is_published else []


@dataclass
class MoisProgramme:
    year: str
    events: list
    days: list
    communes: list[str]
    organisers: list[str]


def mois_programme(year: int) -> MoisProgramme:
    """The published events of the Mois de l'ESS of ``year``, by day."""
    events = list(Event.objects.mois_ess(year).select_related("commune", "organiser"))
    days = {}
    for event in events:
        days.setdefault(timezone.localdate(event.starts_at), []).append(event)
    return MoisProgramme(
        year=str(year),
        events=events,
        days=sorted(days.items()),
        communes=sorted({event.commune.name for event in events}),
        organisers=sorted({event.organiser.name for event in events}),
    )


def staff_events(status: str):
    queryset = Event.objects.for_list().order_by("-starts_at")
    if status in EventStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def proposed_count() -> int:
    return Event.objects.filter(status=EventStatus.PROPOSED).count()


@dataclass
class EventStaffPage:
    transitions: list
    audit: list[AuditEntry]
    buttons: list[Button]


def event_staff_page(event: Event, user) -> EventStaffPage:
    """The log, the budget's audit trail and the workflow buttons of the staff page."""
    urls = {
        "publish": reverse("communication:staff_event_publish", args=[event.pk]),
        "unpublish": reverse("communication:staff_event_unpublish", args=[event.pk]),
    }
    return EventStaffPage(
        transitions=list(event.transitions.select_related("user")),
        audit=audit_entries(event),
        buttons=buttons(event, user, urls),
    )


# --- working groups and strategy -------------------------------------------------------------


def groups_for_list():
    return WorkingGroup.objects.annotate(
        member_count=Count("members", distinct=True),
        meeting_count=Count("meetings", distinct=True),
    )


@dataclass
class GroupPage:
    members: object
    meetings: object
    strategies: object


def group_page(group: WorkingGroup) -> GroupPage:
    return GroupPage(
        members=group.members.order_by("last_name", "first_name"),
        meetings=group.meetings.all(),
        strategies=group.strategies.all(),
    )


def strategies_for_list():
    return CommunicationStrategy.objects.select_related("working_group").annotate(
        action_count=Count("actions"), budget_total=Sum("actions__budget")
    )


@dataclass
class StrategyPage:
    actions: list
    budget_total: Decimal
    transitions: list
    members: list = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


def _strategy_actions(strategy: CommunicationStrategy) -> list:
    return list(
        strategy.actions.select_related("programme_line__programme", "programme_line__axis")
    )


def strategy_page(strategy: CommunicationStrategy, *, staff_view: bool, user) -> StrategyPage:
    """Actions, budget and log; for staff, the workflow buttons and the budgets' audit."""
    actions = _strategy_actions(strategy)
    page = StrategyPage(
        actions=actions,
        budget_total=sum((action.budget for action in actions), ZERO),
        transitions=list(strategy.transitions.select_related("user")),
    )
    if staff_view:
        urls = {
            name: reverse(f"communication:strategy_{name}", args=[strategy.year])
            for name in ("submit", "withdraw")
        }
        page.buttons = buttons(strategy, user, urls)
        page.audit = audit_entries_of(actions, label=lambda action: action.title)
    return page


def strategy_pdf(strategy: CommunicationStrategy) -> StrategyPage:
    """The strategy, its actions, calendar, budget and drafting group, for the committee."""
    actions = _strategy_actions(strategy)
    group = strategy.working_group
    return StrategyPage(
        actions=actions,
        budget_total=sum((action.budget for action in actions), ZERO),
        transitions=list(strategy.transitions.select_related("user")),
        members=list(group.members.order_by("last_name", "first_name")) if group else [],
    )


# --- statistics ------------------------------------------------------------------------------


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    rows: list[dict]
    first_column: str
    table_caption: str = ""

    @property
    def caption(self) -> str:
        """The caption of the chart's table: its own when its rows differ from the chart's."""
        return self.table_caption or _("Data of the chart: %(title)s") % {"title": self.title}


@dataclass(frozen=True)
class KeyFigures:
    year: int
    first_year: int
    establishments: int
    jobs: int
    communes: int
    growth: float | None
    association_share: float | None


@dataclass
class StatisticsPage:
    datasets: list
    selected: Dataset | None
    measure: str
    measure_label: str
    key_figures: KeyFigures | None = None
    charts: list[Chart] = field(default_factory=list)


def measure_label(measure: str) -> str:
    return _("jobs") if measure == "jobs" else _("establishments")


def published_datasets():
    return (
        Dataset.objects.published()
        .annotate(first_year=Min("rows__year"), last_year=Max("rows__year"), lines=Count("rows"))
        .order_by("-data_date", "-pk")
    )


def statistics_page(*, wanted: str, measure: str) -> StatisticsPage | None:
    """The data page of the dataset ``wanted`` (a pk, or "" for the latest); None if unknown."""
    datasets = list(published_datasets())
    selected = datasets[0] if datasets else None
    if wanted:
        selected = next((d for d in datasets if d.pk == parse_id(wanted)), None)
        if selected is None:
            return None
    measure = MEASURES.get(measure, "jobs")
    page = StatisticsPage(
        datasets=datasets,
        selected=selected,
        measure=measure,
        measure_label=measure_label(measure),
    )
    if selected is not None:
        page.key_figures, page.charts = figures(selected, measure)
    return page


def _sums(rows, *group_by, order_by):
    return list(
        rows.values(*group_by)
        .annotate(establishments=Sum("establishments"), jobs=Sum("jobs"))
        .order_by(*order_by)
    )


def figures(dataset: Dataset, measure: str = "jobs") -> tuple[KeyFigures | None, list[Chart]]:
    """Key figures and three charts (by year, by family, by commune) of one dataset."""
    rows = Statistic.objects.filter(dataset=dataset)
    by_year = _sums(rows, "year", order_by=["year"])
    if not by_year:
        return None, []
    year = by_year[-1]["year"]
    latest = rows.filter(year=year)
    by_family = _sums(latest, "family", order_by=["-" + measure, "family"])
    by_commune = _sums(
        latest.filter(commune__isnull=False),
        "commune__name",
        order_by=["-" + measure, "commune__name"],
    )
    families = dict(EssFamily.choices)
    for row in by_family:
        row["label"] = str(families.get(row["family"], row["family"]))
    for row in by_year:
        row["label"] = str(row["year"])
    for row in by_commune:
        row["label"] = row["commune__name"]
    key = _key_figures(by_year, by_family, communes=len(by_commune))
    return key, _charts(measure, by_year, by_family, by_commune)


def _key_figures(by_year: list[dict], by_family: list[dict], *, communes: int) -> KeyFigures:
    first, latest = by_year[0], by_year[-1]
    associations = next((r for r in by_family if r["family"] == EssFamily.ASSOCIATION), None)
    return KeyFigures(
        year=latest["year"],
        first_year=first["year"],
        establishments=latest["establishments"],
        jobs=latest["jobs"],
        communes=communes,
        growth=rules.growth_percent(first["jobs"], latest["jobs"]) if len(by_year) > 1 else None,
        association_share=(
            rules.share_percent(associations["jobs"], latest["jobs"]) if associations else None
        ),
    )


def _chart(draw, chart_id: str, title: str, desc: str, rows, measure: str, first_column: str):
    points = [(row["label"], row[measure]) for row in rows]
    return Chart(
        id=chart_id,
        title=title,
        svg=draw(chart_id, title, desc, points),
        rows=rows,
        first_column=first_column,
    )


def _charts(measure: str, by_year, by_family, by_commune) -> list[Chart]:
    label = measure_label(measure)
    first, year = by_year[0]["year"], by_year[-1]["year"]
    found = [
        _chart(
            charts.column_chart,
            "chart-years",
            _("ESS %(measure)s by year") % {"measure": label},
            _("From %(first)s to %(last)s.") % {"first": first, "last": year},
            by_year,
            measure,
            _("Year"),
        ),
        _chart(
            charts.bar_chart,
            "chart-families",
            _("ESS %(measure)s by family in %(year)s") % {"measure": label, "year": year},
            _("Associations, cooperatives, mutuals, foundations and ESS companies."),
            by_family,
            measure,
            _("ESS family"),
        ),
    ]
    if by_commune:
        found.append(_communes_chart(measure, label, year, by_commune))
    return found


def _communes_chart(measure: str, label: str, year: int, by_commune) -> Chart:
    title = _("The %(count)s communes with the most ESS %(measure)s in %(year)s") % {
        "count": min(TOP_COMMUNES, len(by_commune)),
        "measure": label,
        "year": year,
    }
    chart = _chart(
        charts.bar_chart,
        "chart-communes",
        title,
        _("The table beside the chart lists every commune."),
        by_commune[:TOP_COMMUNES],
        measure,
        _("Commune"),
    )
    chart.rows = by_commune  # the table lists every commune, the chart the first 15
    chart.table_caption = ngettext(
        "ESS establishments and jobs of the %(count)s commune with data in %(year)s",
        "ESS establishments and jobs of all %(count)s communes with data in %(year)s",
        len(by_commune),
    ) % {"count": len(by_commune), "year": year}
    return chart


CSV_COLUMNS = [
    "annee",
    "code_commune",
    "commune",
    "famille",
    "secteur",
    "etablissements",
    "emplois",
    "source",
    "licence",
]


# The open data is published in French whatever the reader's language: the families' labels.
OPEN_DATA_FAMILIES = {
    EssFamily.ASSOCIATION: "association",
    EssFamily.COOPERATIVE: "coopérative",
    EssFamily.MUTUAL: "mutuelle",
    EssFamily.FOUNDATION: "fondation",
    EssFamily.COMPANY: "société commerciale de l'ESS",
}


def dataset_csv_rows(dataset: Dataset):
    """The rows of the open-data CSV export of one dataset."""
    rows = Statistic.objects.filter(dataset=dataset).select_related("commune")
    for row in rows.order_by("year", "commune__name", "family", "sector"):
        yield [
            row.year,
            row.commune.insee_code if row.commune else "",
            row.commune.name if row.commune else "",
            OPEN_DATA_FAMILIES.get(row.family, row.family),
            row.sector,
            row.establishments,
            row.jobs,
            dataset.source,
            dataset.licence,
        ]


def datasets_for_list():
    return Dataset.objects.select_related("imported_by").annotate(lines=Count("rows"))


@dataclass
class DatasetPreview:
    rows: object
    line_total: int
    totals: object
    transitions: list
    buttons: list[Button]


def dataset_preview(dataset: Dataset, user) -> DatasetPreview:
    """The first 100 rows, the totals by year, the log and the workflow buttons."""
    rows = dataset.rows.select_related("commune")
    urls = {"publish": reverse("communication:dataset_publish", args=[dataset.pk])}
    return DatasetPreview(
        rows=rows[:100],
        line_total=rows.count(),
        totals=rows.values("year")
        .annotate(establishments=Sum("establishments"), jobs=Sum("jobs"))
        .order_by("year"),
        transitions=list(dataset.transitions.select_related("user")),
        buttons=buttons(dataset, user, urls),
    )


def news_for_list():
    return NewsItem.objects.select_related("event").order_by("-published_on", "-pk")
