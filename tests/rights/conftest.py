import pytest
from django.db import connection

from demo.factories.core import MembershipFactory, OrganisationFactory, UserFactory

FIRST, LAST = "Zéphyrine", "Quillebeuf-Arnaudin"
EMAIL = "zephyrine.quillebeuf@exemple.fr"
PHONE = "04 76 99 88 77"


@pytest.fixture
def person(db):
    """An applicant whose identity is easy to look for in every table."""
    user = UserFactory(first_name=FIRST, last_name=LAST, email=EMAIL, phone=PHONE)
    organisation = OrganisationFactory(name="Recyclerie du Drac")
    MembershipFactory(user=user, organisation=organisation, position="Directrice")
    return user


def tables_mentioning(*needles: str) -> dict[str, list[str]]:
    """Every table (history tables included) whose text anywhere holds one of ``needles``."""
    found: dict[str, list[str]] = {}
    lowered = [needle.lower() for needle in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                text = " | ".join(str(value) for value in row).lower()
                hits = [needle for needle in lowered if needle in text]
                if hits:
                    found.setdefault(table, []).extend(hits)
    return found
