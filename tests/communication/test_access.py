"""Every URL of the communication app, for each role."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from communication.models import DatasetStatus
from demo.factories.communication import (
    DatasetFactory,
    EventFactory,
    NewsFactory,
    StrategyActionFactory,
    StrategyFactory,
    WorkingGroupFactory,
    add_rows,
)

ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]
PUBLIC = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 403,
    "staff": 200,
}
STAFF_POST = {**STAFF_ONLY, "staff": 302}
APPLICANTS = {
    "anonymous": 302,
    "applicant": 200,
    "other_applicant": 200,
    "committee": 403,
    "staff": 403,
}
COMMITTEE_AND_STAFF = {
    "anonymous": 302,
    "applicant": 404,
    "other_applicant": 404,
    "committee": 200,
    "staff": 200,
}
STAFF_AND_MEMBERS = {
    "anonymous": 302,
    "applicant": 404,
    "other_applicant": 404,
    "committee": 404,
    "staff": 200,
}


@pytest.fixture
def objects(db):
    event = EventFactory(november=True)
    news = NewsFactory()
    extra_news = NewsFactory()
    group = WorkingGroupFactory()
    strategy = StrategyFactory(year=2031)
    strategy.document.save("strategie.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    action = StrategyActionFactory(strategy=strategy)
    dataset = DatasetFactory()
    add_rows(dataset, 5)
    draft = DatasetFactory(status=DatasetStatus.DRAFT)
    return {
        "event": event,
        "news": news,
        "extra_news": extra_news,
        "group": group,
        "strategy": strategy,
        "action": action,
        "dataset": dataset,
        "draft": draft,
    }


def _urls(o):
    event, strategy = o["event"], o["strategy"]
    return [
        # public
        ("GET", reverse("communication:agenda"), PUBLIC),
        ("GET", reverse("communication:agenda_ics"), PUBLIC),
        ("GET", reverse("communication:mois_ess", args=[2030]), PUBLIC),
        ("GET", reverse("communication:mois_ess_pdf", args=[2030]), PUBLIC),
        ("GET", event.get_absolute_url(), PUBLIC),
        ("GET", reverse("communication:event_ics", args=[event.slug]), PUBLIC),
        ("GET", reverse("communication:news_list"), PUBLIC),
        ("GET", o["news"].get_absolute_url(), PUBLIC),
        ("GET", reverse("communication:statistics"), PUBLIC),
        ("GET", reverse("communication:statistics_pdf"), PUBLIC),
        ("GET", reverse("communication:dataset_csv", args=[o["dataset"].pk]), PUBLIC),
        ("GET", reverse("communication:feeds"), PUBLIC),
        ("GET", reverse("communication:events_rss"), PUBLIC),
        ("GET", reverse("communication:events_atom"), PUBLIC),
        ("GET", reverse("communication:calls_rss"), PUBLIC),
        ("GET", reverse("communication:calls_atom"), PUBLIC),
        ("GET", reverse("communication:news_rss"), PUBLIC),
        ("GET", reverse("communication:news_atom"), PUBLIC),
        ("GET", reverse("communication:json_feed"), PUBLIC),
        # member organisations
        ("GET", reverse("communication:member_events"), APPLICANTS),
        ("GET", reverse("communication:event_propose"), APPLICANTS),
        # committee and staff
        ("GET", strategy.get_absolute_url(), COMMITTEE_AND_STAFF),
        ("GET", reverse("communication:strategy_document", args=[2031]), COMMITTEE_AND_STAFF),
        ("GET", reverse("communication:strategy_pdf", args=[2031]), COMMITTEE_AND_STAFF),
        # staff
        ("GET", reverse("communication:staff_events"), STAFF_ONLY),
        ("GET", reverse("communication:staff_event_create"), STAFF_ONLY),
        ("GET", reverse("communication:staff_event_update", args=[event.pk]), STAFF_ONLY),
        ("GET", reverse("communication:staff_news"), STAFF_ONLY),
        ("GET", reverse("communication:staff_news_create"), STAFF_ONLY),
        ("GET", reverse("communication:staff_news_update", args=[o["news"].pk]), STAFF_ONLY),
        ("GET", reverse("communication:group_list"), STAFF_ONLY),
        ("GET", reverse("communication:group_create"), STAFF_ONLY),
        ("GET", o["group"].get_absolute_url(), STAFF_AND_MEMBERS),
        ("GET", reverse("communication:group_update", args=[o["group"].pk]), STAFF_ONLY),
        ("GET", reverse("communication:strategy_list"), STAFF_ONLY),
        ("GET", reverse("communication:strategy_create"), STAFF_ONLY),
        ("GET", reverse("communication:strategy_update", args=[2031]), STAFF_ONLY),
        ("GET", reverse("communication:dataset_list"), STAFF_ONLY),
        ("GET", reverse("communication:dataset_import"), STAFF_ONLY),
        ("GET", reverse("communication:dataset_preview", args=[o["draft"].pk]), STAFF_ONLY),
        ("GET", reverse("communication:dataset_update", args=[o["draft"].pk]), STAFF_ONLY),
        ("POST", reverse("communication:staff_event_unpublish", args=[event.pk]), STAFF_POST),
        ("POST", reverse("communication:staff_news_delete", args=[o["extra_news"].pk]), STAFF_POST),
        ("POST", reverse("communication:staff_event_publish", args=[event.pk]), STAFF_POST),
        (
            "POST",
            reverse("communication:strategy_action_delete", args=[2031, o["action"].pk]),
            STAFF_POST,
        ),
        ("POST", reverse("communication:strategy_submit", args=[2031]), STAFF_POST),
        ("POST", reverse("communication:strategy_withdraw", args=[2031]), STAFF_POST),
        ("POST", reverse("communication:dataset_publish", args=[o["draft"].pk]), STAFF_POST),
        ("POST", reverse("communication:dataset_discard", args=[o["dataset"].pk]), STAFF_POST),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_each_role(role, role_clients, objects):
    client = role_clients[role]
    for method, url, expected in _urls(objects):
        response = client.get(url) if method == "GET" else client.post(url)
        response.close()  # file downloads hold their file open until closed
        assert response.status_code == expected[role], (role, method, url)
        if expected[role] == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 404),
        ("staff", 200),
    ],
)
def test_a_proposed_event_is_seen_by_its_organisation_and_staff_only(
    role, status, role_clients, applicant
):
    event = EventFactory(proposed=True, organiser=applicant.organisations.get())
    assert role_clients[role].get(event.get_absolute_url()).status_code == status
    assert role_clients[role].get(
        reverse("communication:event_ics", args=[event.slug])
    ).status_code == (404)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("applicant", 404), ("committee", 404), ("staff", 200)],
)
def test_scheduled_news_is_hidden_until_its_date(role, status, role_clients):
    import datetime

    from django.utils import timezone

    news = NewsFactory(published_on=timezone.localdate() + datetime.timedelta(days=2))
    assert role_clients[role].get(news.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 403),
        ("staff", 403),
    ],
)
def test_only_the_organisation_edits_its_proposal(role, status, role_clients, applicant):
    event = EventFactory(proposed=True, organiser=applicant.organisations.get())
    url = reverse("communication:event_proposal_update", args=[event.pk])
    assert role_clients[role].get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("committee", 200),
        ("staff", 200),
    ],
)
def test_the_working_group_and_its_draft_are_read_by_its_members(
    role, status, role_clients, applicant
):
    group = WorkingGroupFactory()
    group.members.add(applicant)
    strategy = StrategyFactory(year=2032, working_group=group)
    client = role_clients[role]
    group_status = 404 if role == "committee" else status
    assert client.get(group.get_absolute_url()).status_code == group_status
    assert client.get(strategy.get_absolute_url()).status_code == status
    assert client.get(reverse("communication:strategy_pdf", args=[2032])).status_code == status
    if role == "applicant":
        content = client.get(group.get_absolute_url()).content.decode()
        assert "Enregistrer une réunion" not in content
        assert client.post(group.get_absolute_url(), {"date": "2030-01-01"}).status_code == 403
