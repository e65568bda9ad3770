"""The programme's reads take a constant number of queries; the PDF of 300 lines is fast."""

import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories.core import OrganisationFactory
from demo.factories.programme import SupportFactory, ToolFactory
from ess_metro.formatting import money
from programme import benchmark

from .conftest import pdf_text, plain


def build_programme(year, count):
    return benchmark.build_programme(year, count, operator=OrganisationFactory())


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "name",
    [
        "programme:programme_detail",
        "programme:programme_xlsx",
        "programme:programme_evaluation",
    ],
)
def test_programme_pages_take_the_same_queries_at_1_and_40_lines(db, anonymous_client, name):
    build_programme(2024, 1)
    build_programme(2025, 40)
    small, _response = _count_queries(anonymous_client, reverse(name, args=[2024]))
    large, _response = _count_queries(anonymous_client, reverse(name, args=[2025]))
    assert small == large


def test_staff_editor_takes_the_same_queries_at_1_and_40_lines(db, staff_client):
    small_programme = build_programme(2024, 1)
    large_programme = build_programme(2025, 40)
    small, _response = _count_queries(staff_client, small_programme.get_staff_url())
    large, _response = _count_queries(staff_client, large_programme.get_staff_url())
    assert small == large


def test_lists_take_the_same_queries_at_1_and_20_rows(db, role_clients):
    build_programme(2001, 1)
    tool = ToolFactory(slug="outil-un")
    SupportFactory(tool=tool)
    urls = [
        ("anonymous", reverse("programme:programme_index")),
        ("anonymous", reverse("programme:tool_list")),
        ("anonymous", reverse("programme:tool_detail", args=["outil-un"])),
        ("staff", reverse("programme:staff_programme_list")),
        ("staff", reverse("programme:staff_tool_list")),
        ("staff", reverse("programme:staff_tool_detail", args=[tool.pk])),
    ]
    before = [_count_queries(role_clients[role], url)[0] for role, url in urls]
    for year in range(2002, 2022):
        build_programme(year, 1)
    for _index in range(20):
        other = ToolFactory()
        SupportFactory(tool=other)
        SupportFactory(tool=tool)
    after = [_count_queries(role_clients[role], url)[0] for role, url in urls]
    assert before == after


def test_pdf_of_300_lines_constant_queries_and_timing(db, anonymous_client, capsys):
    build_programme(2024, 3)
    build_programme(2025, 300)
    small, _response = _count_queries(
        anonymous_client, reverse("programme:programme_pdf", args=[2024])
    )
    cache.clear()  # measure the layout, not the cache of identical documents
    started, cpu_started = time.perf_counter(), time.process_time()
    large, response = _count_queries(
        anonymous_client, reverse("programme:programme_pdf", args=[2025])
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    assert small == large
    pages = pdf_text(response.content)
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]
    assert "Action 300 : soutien" in " ".join(pages)
    # A row is never split across pages: each line's title and amount sit on the same page.
    for index in range(0, 300, 7):
        page = next(page for page in pages if f"Action {index + 1} : soutien" in page)
        assert plain(money(Decimal("1000.01") + index)) in page, index
    cached_started = time.perf_counter()
    again, cached = _count_queries(
        anonymous_client, reverse("programme:programme_pdf", args=[2025])
    )
    cached_seconds = time.perf_counter() - cached_started
    assert cached.content == response.content
    assert again == large
    with capsys.disabled():
        print(
            f"\nPDF of 300 lines: {seconds:.2f} s ({cpu_seconds:.2f} s CPU), "
            f"{large} queries, {len(pages)} pages; same document again: {cached_seconds:.2f} s"
        )
    assert seconds < 20  # aim: under 3 s on an idle machine; generous bound for loaded CI


def test_benchmark_command_leaves_the_database_unchanged(db):
    from io import StringIO

    from django.core.management import call_command

    from programme.models import AnnualProgramme

    OrganisationFactory()
    out = StringIO()
    call_command("programme_pdf_benchmark", lines=20, runs=1, stdout=out)
    assert "PDF of 20 lines" in out.getvalue()
    assert not AnnualProgramme.objects.exists()
