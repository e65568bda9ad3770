"""Figures of the /donnees/ page and its PDF: a fixed number of aggregate queries."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Sum
from django.utils.translation import gettext as _

from ess_metro.directory.models import EssFamily

from . import charts
from .models import Dataset, Statistic

MEASURES = {"emplois": "jobs", "etablissements": "establishments"}
TOP_COMMUNES = 15


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    rows: list[dict]
    first_column: str


def measure_label(measure: str) -> str:
    return _("jobs") if measure == "jobs" else _("establishments")


def build(dataset: Dataset | None, measure: str = "jobs") -> dict:
    """Key figures and three charts (by year, by family, by commune) of one dataset."""
    if dataset is None:
        return {"key_figures": None, "charts": []}
    rows = Statistic.objects.filter(dataset=dataset)
    by_year = list(
        rows.values("year")
        .annotate(establishments=Sum("establishments"), jobs=Sum("jobs"))
        .order_by("year")
    )
    if not by_year:
        return {"key_figures": None, "charts": []}
    latest = by_year[-1]
    year = latest["year"]
    by_family = list(
        rows.filter(year=year)
        .values("family")
        .annotate(establishments=Sum("establishments"), jobs=Sum("jobs"))
        .order_by("-" + measure, "family")
    )
    by_commune = list(
        rows.filter(year=year, commune__isnull=False)
        .values("commune__name")
        .annotate(establishments=Sum("establishments"), jobs=Sum("jobs"))
        .order_by("-" + measure, "commune__name")
    )
    families = dict(EssFamily.choices)
    for row in by_family:
        row["label"] = str(families.get(row["family"], row["family"]))
    for row in by_year:
        row["label"] = str(row["year"])
    for row in by_commune:
        row["label"] = row["commune__name"]
    first = by_year[0]
    growth = None
    if len(by_year) > 1 and first["jobs"]:
        growth = (latest["jobs"] - first["jobs"]) * 100 / first["jobs"]
    associations = next((r for r in by_family if r["family"] == EssFamily.ASSOCIATION), None)
    key_figures = {
        "year": year,
        "first_year": first["year"],
        "establishments": latest["establishments"],
        "jobs": latest["jobs"],
        "communes": len(by_commune),
        "growth": growth,
        "association_share": (
            associations["jobs"] * 100 / latest["jobs"] if associations and latest["jobs"] else None
        ),
    }
    label = measure_label(measure)
    chart_list = [
        Chart(
            id="chart-years",
            title=_("ESS %(measure)s by year") % {"measure": label},
            svg=charts.column_chart(
                "chart-years",
                _("ESS %(measure)s by year") % {"measure": label},
                _("From %(first)s to %(last)s.") % {"first": first["year"], "last": year},
                [(row["label"], row[measure]) for row in by_year],
            ),
            rows=by_year,
            first_column=_("Year"),
        ),
        Chart(
            id="chart-families",
            title=_("ESS %(measure)s by family in %(year)s") % {"measure": label, "year": year},
            svg=charts.bar_chart(
                "chart-families",
                _("ESS %(measure)s by family in %(year)s") % {"measure": label, "year": year},
                _("Associations, cooperatives, mutuals, foundations and ESS companies."),
                [(row["label"], row[measure]) for row in by_family],
            ),
            rows=by_family,
            first_column=_("ESS family"),
        ),
    ]
    if by_commune:
        title = _("The %(count)s communes with the most ESS %(measure)s in %(year)s") % {
            "count": min(TOP_COMMUNES, len(by_commune)),
            "measure": label,
            "year": year,
        }
        chart_list.append(
            Chart(
                id="chart-communes",
                title=title,
                svg=charts.bar_chart(
                    "chart-communes",
                    title,
                    _("The table beside the chart lists every commune."),
                    [(row["label"], row[measure]) for row in by_commune[:TOP_COMMUNES]],
                ),
                rows=by_commune,
                first_column=_("Commune"),
            )
        )
    return {"key_figures": key_figures, "charts": chart_list}


def published_datasets():
    return (
        Dataset.objects.published()
        .annotate(first_year=Min("rows__year"), last_year=Max("rows__year"), lines=Count("rows"))
        .order_by("-data_date", "-pk")
    )
