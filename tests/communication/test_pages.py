"""The portal-wide accessibility checks, on the communication pages that take parameters."""

import pytest
from django.urls import reverse

from communication import services
from demo.factories.communication import (
    DatasetFactory,
    EventFactory,
    NewsFactory,
    StrategyActionFactory,
    WorkingGroupFactory,
    add_rows,
)
from tests.test_accessibility import check_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "applicant", "committee", "staff"])
def test_pages_with_data_are_accessible(role, role_clients, applicant, committee_member, staff):
    event = EventFactory(november=True, capacity=30)
    proposal = EventFactory(proposed=True, organiser=applicant.organisations.get())
    news = NewsFactory(event=event, programme_year=2030)
    group = WorkingGroupFactory()
    group.members.add(applicant, committee_member)
    action = StrategyActionFactory(strategy__year=2031, strategy__working_group=group)
    services.strategy_submit(strategy=action.strategy, user=staff)
    dataset = DatasetFactory()
    add_rows(dataset, 40)
    urls = [
        reverse("communication:agenda"),
        reverse("communication:agenda") + "?mois=1&kind=conference",
        event.get_absolute_url(),
        proposal.get_absolute_url(),
        reverse("communication:mois_ess", args=[2030]),
        news.get_absolute_url(),
        reverse("communication:statistics") + f"?jeu={dataset.pk}&mesure=etablissements",
        group.get_absolute_url(),
        action.strategy.get_absolute_url(),
        reverse("communication:staff_event_update", args=[proposal.pk]),
        reverse("communication:event_proposal_update", args=[proposal.pk]),
        reverse("communication:dataset_preview", args=[dataset.pk]),
        reverse("communication:staff_news_update", args=[news.pk]),
    ]
    client = role_clients[role]
    checked = 0
    failures = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            checked += 1
            problems = check_page(response.content.decode())
            if problems:
                failures[url] = problems
    assert checked >= 6
    assert failures == {}
