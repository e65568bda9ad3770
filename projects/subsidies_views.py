"""The subsidy open data files (SCDL « subventions »): public, CSV and JSON."""

import json
from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from . import subsidies

NUMBER_FIELDS = ("montant", "pourcentageSubvention")


def _year(year: int | None) -> int:
    if year is None:
        return timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _response(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@cache_control(public=True, max_age=900)
def subsidies_csv(request, year: int | None = None) -> HttpResponse:
    year = _year(year)
    return _response(
        subsidies.as_csv(subsidies.subsidy_rows(year=year)),
        content_type="text/csv; charset=utf-8",
        filename=f"subventions-{year}.csv",
    )


@login_not_required
@cache_control(public=True, max_age=900)
def subsidies_json(request, year: int | None = None) -> HttpResponse:
    year = _year(year)
    rows = [
        {
            name: float(Decimal(value)) if name in NUMBER_FIELDS else value
            for name, value in row.items()
        }
        for row in subsidies.subsidy_rows(year=year)
    ]
    document = {"schema": "scdl-subventions", "version": "2.1.0", "annee": year, "data": rows}
    return _response(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
        filename=f"subventions-{year}.json",
    )
