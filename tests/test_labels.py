"""Labels a newcomer stumbled on (issue 14, item 9): each read as French should."""

from decimal import Decimal

import pytest
from django.utils import translation

from ess_metro.formatting import number_plain

pytestmark = pytest.mark.django_db


def test_targets_are_written_without_useless_decimals():
    assert number_plain(Decimal("120.00")) == "120"
    assert number_plain(Decimal("12.50")) == "12,5"
    assert number_plain(None) == ""


def test_the_account_holder_takes_its_elision():
    from projects.conventions.models import Convention

    convention = Convention(account_holder="Association Alpesolidaires")
    assert convention.account_holder_of == "d'Association Alpesolidaires"
    with translation.override("en"):
        assert convention.account_holder_of == "of Association Alpesolidaires"


def test_the_strategy_is_drafted_by_the_group_with_its_article():
    from communication.models import CommunicationStrategy
    from demo.factories.communication import WorkingGroupFactory

    group = WorkingGroupFactory(name="Groupe de travail ad hoc")
    strategy = CommunicationStrategy(working_group=group)
    assert strategy.drafted_by == "élaborée par le Groupe de travail ad hoc"
    with translation.override("en"):
        assert strategy.drafted_by == "drafted by Groupe de travail ad hoc"


def test_the_amendment_ready_message_has_its_article():
    from django.utils.translation import gettext

    assert gettext(
        "Amendment no. %(number)s is ready: check the changes, then record its signature."
    ) % {"number": 1} == (
        "L'avenant n° 1 est prêt : vérifiez les modifications, puis enregistrez sa signature."
    )
