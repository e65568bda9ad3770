"""Demo composition of the steering committee (extended by the governance issue)."""

import datetime

from .models import College, Mandate, MandateKind, SeatCategory


def seed(context) -> None:
    ess_actors = College.objects.get(code="ess-actors")
    for user_key, organisation_key, category in [
        ("member", "mgen", SeatCategory.MUTUALS),
        ("member_applicant", "urscop", SeatCategory.COOPERATIVES),
    ]:
        Mandate.objects.get_or_create(
            person=context.users[user_key],
            college=ess_actors,
            category=category,
            defaults={
                "organisation": context.organisations[organisation_key],
                "kind": MandateKind.HOLDER,
                "start_date": datetime.date(2024, 1, 1),
            },
        )
