"""The SQL of every list page is pinned: the same number of queries at 1 and at 25 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.factories.communication import (
    DatasetFactory,
    EventFactory,
    NewsFactory,
    StrategyActionFactory,
    WorkingGroupFactory,
    add_rows,
)

pytestmark = pytest.mark.django_db


def _group(user):
    group = WorkingGroupFactory()
    group.members.add(user)
    return group


def _dataset(user):
    dataset = DatasetFactory()
    add_rows(dataset, 2)
    return dataset


# name, url, client role, row maker, pinned number of queries
PAGES = [
    ("agenda", reverse("communication:agenda"), "anonymous", lambda u: EventFactory(), 5),
    (
        "mois_ess",
        reverse("communication:mois_ess", args=[2030]),
        "anonymous",
        lambda u: EventFactory(november=True),
        1,
    ),
    ("news", reverse("communication:news_list"), "anonymous", lambda u: NewsFactory(), 2),
    ("events_rss", reverse("communication:events_rss"), "anonymous", lambda u: EventFactory(), 1),
    # events, open calls (projects.Call), news
    ("json_feed", reverse("communication:json_feed"), "anonymous", lambda u: NewsFactory(), 3),
    ("agenda_ics", reverse("communication:agenda_ics"), "anonymous", lambda u: EventFactory(), 1),
    (
        "member_events",
        reverse("communication:member_events"),
        "applicant",
        lambda u: EventFactory(organiser=u.organisations.get()),
        4,
    ),
    ("staff_events", reverse("communication:staff_events"), "staff", lambda u: EventFactory(), 7),
    ("staff_news", reverse("communication:staff_news"), "staff", lambda u: NewsFactory(), 5),
    ("groups", reverse("communication:group_list"), "staff", _group, 4),
    (
        "strategies",
        reverse("communication:strategy_list"),
        "staff",
        lambda u: StrategyActionFactory(),
        4,
    ),
    ("datasets", reverse("communication:dataset_list"), "staff", _dataset, 4),
]


@pytest.mark.parametrize(
    ("name", "url", "role", "make", "pinned"), PAGES, ids=[page[0] for page in PAGES]
)
def test_list_page_queries_do_not_grow_with_rows(
    name, url, role, make, pinned, role_clients, applicant, staff, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page as built (tests/test_pagecache.py: cached)
    client = role_clients[role]
    user = {"applicant": applicant, "staff": staff}.get(role)
    make(user)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for _ in range(24):
        make(user)
    with CaptureQueriesContext(connection) as many_rows:
        assert client.get(url).status_code == 200
    assert len(many_rows) == len(one_row), [q["sql"] for q in many_rows.captured_queries]
    assert len(one_row) == pinned
