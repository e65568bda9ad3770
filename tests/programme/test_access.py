"""Every URL of the programme app, for each role: anonymous, applicants, committee, staff."""

import pytest
from django.urls import reverse

from demo.factories.programme import (
    EndowmentFactory,
    IndicatorFactory,
    LineFactory,
    ProgrammeFactory,
    SupportFactory,
    ToolFactory,
    axis,
)
from programme.models import ProgrammeStatus

ROLES = ["anonymous", "applicant", "other_applicant", "committee", "staff"]
ALL = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {
    "anonymous": 302,
    "applicant": 403,
    "other_applicant": 403,
    "committee": 403,
    "staff": 200,
}
STAFF_ONLY_404 = {**dict.fromkeys(ROLES, 404), "staff": 200}
COMMITTEE_AND_STAFF = {**STAFF_ONLY_404, "committee": 200}


@pytest.fixture
def objects(db):
    published = ProgrammeFactory(year=2025, published=True)
    draft = ProgrammeFactory(year=2026)
    submitted = ProgrammeFactory(year=2027, status=ProgrammeStatus.SUBMITTED)
    line = LineFactory(programme=draft, axis=axis("support"))
    indicator = IndicatorFactory(line=line)
    LineFactory(programme=published)
    LineFactory(programme=submitted)
    tool = ToolFactory(slug="dla")
    hidden_tool = ToolFactory(slug="cache", is_published=False)
    endowment = EndowmentFactory(tool=tool, line=line)
    support = SupportFactory(tool=tool)
    return {
        "published": published,
        "draft": draft,
        "submitted": submitted,
        "line": line,
        "indicator": indicator,
        "tool": tool,
        "hidden_tool": hidden_tool,
        "endowment": endowment,
        "support": support,
    }


GET_CASES = [
    ("programme:programme_index", lambda o: [], ALL),
    ("programme:programme_detail", lambda o: [2025], ALL),
    ("programme:programme_pdf", lambda o: [2025], ALL),
    ("programme:programme_xlsx", lambda o: [2025], ALL),
    ("programme:programme_evaluation", lambda o: [2025], ALL),
    ("programme:programme_evaluation_pdf", lambda o: [2025], ALL),
    ("programme:programme_detail", lambda o: [2026], STAFF_ONLY_404),
    ("programme:programme_pdf", lambda o: [2026], STAFF_ONLY_404),
    ("programme:programme_xlsx", lambda o: [2026], STAFF_ONLY_404),
    ("programme:programme_detail", lambda o: [2027], COMMITTEE_AND_STAFF),
    ("programme:programme_pdf", lambda o: [2027], COMMITTEE_AND_STAFF),
    ("programme:programme_xlsx", lambda o: [2027], COMMITTEE_AND_STAFF),
    ("programme:programme_evaluation", lambda o: [2026], dict.fromkeys(ROLES, 404)),
    ("programme:programme_evaluation_pdf", lambda o: [2027], dict.fromkeys(ROLES, 404)),
    ("programme:programme_detail", lambda o: [1999], dict.fromkeys(ROLES, 404)),
    ("programme:tool_list", lambda o: [], ALL),
    ("programme:tool_detail", lambda o: [o["tool"].slug], ALL),
    ("programme:tool_detail", lambda o: [o["hidden_tool"].slug], STAFF_ONLY_404),
    ("programme:staff_programme_list", lambda o: [], STAFF_ONLY),
    ("programme:staff_programme_create", lambda o: [], STAFF_ONLY),
    ("programme:staff_programme_copy", lambda o: [], STAFF_ONLY),
    ("programme:staff_programme_detail", lambda o: [o["draft"].pk], STAFF_ONLY),
    ("programme:staff_programme_update", lambda o: [o["draft"].pk], STAFF_ONLY),
    ("programme:staff_programme_transition", lambda o: [o["draft"].pk], STAFF_ONLY),
    ("programme:staff_programme_evaluation", lambda o: [o["published"].pk], STAFF_ONLY),
    ("programme:staff_line_create", lambda o: [o["draft"].pk], STAFF_ONLY),
    ("programme:staff_line_update", lambda o: [o["line"].pk], STAFF_ONLY),
    ("programme:staff_line_delete", lambda o: [o["line"].pk], STAFF_ONLY),
    ("programme:staff_line_indicators", lambda o: [o["line"].pk], STAFF_ONLY),
    ("programme:staff_indicator_update", lambda o: [o["indicator"].pk], STAFF_ONLY),
    ("programme:staff_indicator_delete", lambda o: [o["indicator"].pk], STAFF_ONLY),
    ("programme:staff_tool_list", lambda o: [], STAFF_ONLY),
    ("programme:staff_tool_create", lambda o: [], STAFF_ONLY),
    ("programme:staff_tool_detail", lambda o: [o["tool"].pk], STAFF_ONLY),
    ("programme:staff_tool_update", lambda o: [o["tool"].pk], STAFF_ONLY),
    ("programme:staff_endowment_create", lambda o: [o["tool"].pk], STAFF_ONLY),
    ("programme:staff_endowment_update", lambda o: [o["endowment"].pk], STAFF_ONLY),
    ("programme:staff_endowment_delete", lambda o: [o["endowment"].pk], STAFF_ONLY),
    ("programme:staff_support_create", lambda o: [o["tool"].pk], STAFF_ONLY),
    ("programme:staff_support_update", lambda o: [o["support"].pk], STAFF_ONLY),
    ("programme:staff_support_delete", lambda o: [o["support"].pk], STAFF_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    GET_CASES,
    ids=[f"{name}-{i}" for i, (name, _a, _e) in enumerate(GET_CASES)],
)
def test_get_per_role(role_clients, objects, role, name, args, expected):
    response = role_clients[role].get(reverse(name, args=args(objects)))
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


POST_CASES = [
    ("programme:staff_programme_create", lambda o: [], {"new-year": 2030}),
    ("programme:staff_programme_copy", lambda o: [], {"copy-year": 2026}),
    (
        "programme:staff_programme_transition",
        lambda o: [o["draft"].pk],
        {"to_status": "submitted"},
    ),
    ("programme:staff_programme_new_version", lambda o: [o["published"].pk], {}),
    ("programme:staff_line_delete", lambda o: [o["line"].pk], {}),
    ("programme:staff_indicator_delete", lambda o: [o["indicator"].pk], {}),
    ("programme:staff_endowment_delete", lambda o: [o["endowment"].pk], {}),
    ("programme:staff_support_delete", lambda o: [o["support"].pk], {}),
]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "other_applicant", "committee"])
@pytest.mark.parametrize(("name", "args", "data"), POST_CASES)
def test_post_refused_to_non_staff(role_clients, objects, role, name, args, data):
    response = role_clients[role].post(reverse(name, args=args(objects)), data)
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_new_version_needs_post(staff_client, objects):
    url = reverse("programme:staff_programme_new_version", args=[objects["published"].pk])
    assert staff_client.get(url).status_code == 405


def test_public_index_lists_only_what_each_role_may_see(role_clients, objects):
    for role in ROLES:
        content = role_clients[role].get(reverse("programme:programme_index")).content.decode()
        assert "Programmation annuelle ESS 2025" in content, role
        assert ("Programmation annuelle ESS 2026" in content) == (role == "staff"), role
        assert ("Programmation annuelle ESS 2027" in content) == (role in {"staff", "committee"}), (
            role
        )


def test_staff_card_links_to_programme_and_tools(staff_client, db):
    content = staff_client.get(reverse("staff_home")).content.decode()
    assert reverse("programme:staff_programme_list") in content
    assert reverse("programme:staff_tool_list") in content
