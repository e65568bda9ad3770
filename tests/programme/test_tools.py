"""Development tools: staff management, endowments feeding the programme, public pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from demo.factories.core import OrganisationFactory
from demo.factories.programme import (
    EndowmentFactory,
    LineFactory,
    ProgrammeFactory,
    SupportFactory,
    ToolFactory,
    axis,
)
from programme import totals
from programme.models import DevelopmentTool, ToolEndowment, ToolSupport
from programme.selectors import build_programme_structure

from .conftest import plain


def test_tools_are_a_registered_totals_source():
    assert "tools" in totals.registered_sources()


def test_staff_creates_a_tool_shown_publicly(staff_client, anonymous_client, db):
    operator = OrganisationFactory(name="Isère Accompagnement ESS")
    response = staff_client.post(
        reverse("programme:staff_tool_create"),
        {
            "name": "DLA de l'Isère",
            "slug": "dla-isere",
            "kind": "support",
            "operator": operator.pk,
            "summary": "Accompagnement des associations employeuses.",
            "description": "Diagnostic partagé, plan d'accompagnement, suivi.",
            "website": "dla-isere.example",
            "is_published": "on",
        },
    )
    tool = DevelopmentTool.objects.get(slug="dla-isere")
    assert response["Location"] == tool.get_staff_url()
    assert tool.website == "https://dla-isere.example"
    listing = anonymous_client.get(reverse("programme:tool_list")).content.decode()
    assert "DLA de l&#x27;Isère" in listing
    assert "Opéré par Isère Accompagnement ESS" in listing
    page = anonymous_client.get(reverse("programme:tool_detail", args=["dla-isere"]))
    assert "Accompagnement économique de projets" in page.content.decode()


def test_tool_form_errors_keep_the_input(staff_client, db):
    ToolFactory(slug="fonds-gaia")
    response = staff_client.post(
        reverse("programme:staff_tool_create"),
        {"name": "Fonds GAIA", "slug": "fonds-gaia", "kind": "financing", "summary": ""},
    )
    assert response.status_code == 400
    content = plain(response.content.decode())
    assert "existe déjà" in content
    assert "Ce champ est obligatoire." in content
    assert 'value="Fonds GAIA"' in content


def test_hidden_tool_is_not_listed_publicly(anonymous_client, staff_client, db):
    ToolFactory(name="Outil interne", slug="interne", is_published=False)
    assert (
        "Outil interne" not in anonymous_client.get(reverse("programme:tool_list")).content.decode()
    )
    assert "Outil interne" in staff_client.get(reverse("programme:tool_list")).content.decode()


def test_endowment_feeds_the_line_committed_and_paid(staff_client, anonymous_client, db):
    programme = ProgrammeFactory(year=2025, published=True)
    line = LineFactory(programme=programme, axis=axis("financing"), planned_amount=Decimal("60000"))
    tool = ToolFactory(kind="financing")
    response = staff_client.post(
        reverse("programme:staff_endowment_create", args=[tool.pk]),
        {"year": 2025, "line": line.pk, "amount": "60000.00", "paid_amount": "48000.10"},
    )
    assert response["Location"] == tool.get_staff_url()
    row = build_programme_structure(programme).line_rows[0]
    assert (row.amounts.committed, row.amounts.paid) == (Decimal("60000.00"), Decimal("48000.10"))
    page = plain(
        anonymous_client.get(reverse("programme:programme_detail", args=[2025])).content.decode()
    )
    assert "48 000,10 €" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"year": 2025, "amount": "100", "paid_amount": "150"},
            "Le montant payé ne peut pas dépasser le montant engagé.",
        ),
        (
            {"year": 2024, "amount": "100", "paid_amount": "0", "line": "same-axis"},
            "La ligne appartient au programme d’une autre année.",
        ),
        (
            {"year": 2025, "amount": "0", "paid_amount": "0"},
            "Le montant doit être supérieur à zéro.",
        ),
    ],
)
def test_endowment_bad_input(staff_client, db, data, message):
    programme = ProgrammeFactory(year=2025)
    line = LineFactory(programme=programme, axis=axis("support"))
    tool = ToolFactory(kind="support")
    if data.get("line") == "same-axis":
        data = {**data, "line": line.pk}
    response = staff_client.post(reverse("programme:staff_endowment_create", args=[tool.pk]), data)
    assert response.status_code == 400
    assert message in plain(response.content.decode())
    assert not ToolEndowment.objects.exists()


def test_endowment_line_must_be_on_the_tool_axis(db):
    programme = ProgrammeFactory(year=2025)
    events_line = LineFactory(programme=programme, axis=axis("events"))
    tool = ToolFactory(kind="support")
    endowment = ToolEndowment(tool=tool, year=2025, line=events_line, amount=Decimal("10"))
    with pytest.raises(Exception, match="un autre axe"):
        endowment.full_clean()
    from programme.forms import EndowmentForm

    form = EndowmentForm(tool=tool)
    assert events_line not in form.fields["line"].queryset


def test_supported_organisations_on_the_public_page(staff_client, anonymous_client, db):
    tool = ToolFactory(slug="dla", kind="support")
    organisation = OrganisationFactory(name="La Péniche")
    response = staff_client.post(
        reverse("programme:staff_support_create", args=[tool.pk]),
        {
            "organisation": organisation.pk,
            "date": "2025-03-12",
            "kind_of_support": "Diagnostic partagé",
            "amount": "4800.50",
            "jobs_concerned": "6",
        },
    )
    assert response.status_code == 302
    SupportFactory(tool=tool, amount=Decimal("1000.00"), jobs_concerned=4)
    page = plain(
        anonymous_client.get(reverse("programme:tool_detail", args=["dla"])).content.decode()
    )
    assert "La Péniche" in page
    assert "Diagnostic partagé" in page
    assert "5 800,50 €" in page  # total of the two supports
    assert '<td class="text-end">10</td>' in page  # jobs concerned, in total


def test_support_bad_input(staff_client, db):
    tool = ToolFactory()
    response = staff_client.post(
        reverse("programme:staff_support_create", args=[tool.pk]),
        {"date": "pas une date", "kind_of_support": "Prêt", "amount": "10", "jobs_concerned": "-1"},
    )
    assert response.status_code == 400
    content = plain(response.content.decode())
    assert "Saisissez une date valide." in content
    assert "Ce champ est obligatoire." in content
    assert "supérieure ou égale à 0" in content
    assert 'value="Prêt"' in content


def test_staff_deletes_endowment_and_support(staff_client, db):
    endowment = EndowmentFactory()
    support = SupportFactory(tool=endowment.tool)
    staff_client.post(reverse("programme:staff_endowment_delete", args=[endowment.pk]))
    staff_client.post(reverse("programme:staff_support_delete", args=[support.pk]))
    assert not ToolEndowment.objects.exists()
    assert not ToolSupport.objects.exists()


def test_staff_tool_list_shows_endowment_totals(staff_client, db):
    tool = ToolFactory(name="Fonds GAIA")
    EndowmentFactory(tool=tool, amount=Decimal("1000.25"), paid_amount=Decimal("500.00"))
    EndowmentFactory(tool=tool, year=2025, amount=Decimal("2000.00"))
    page = plain(staff_client.get(reverse("programme:staff_tool_list")).content.decode())
    assert "3 000,25 €" in page
    assert "500,00 €" in page


def test_tool_address_made_from_the_name(staff_client, db):
    operator = OrganisationFactory()
    staff_client.post(
        reverse("programme:staff_tool_create"),
        {
            "name": "Étude d'opportunités Artis 2",
            "kind": "real-estate",
            "operator": operator.pk,
            "summary": "Second hôtel d'activités de l'ESS.",
        },
    )
    assert DevelopmentTool.objects.get().slug == "etude-dopportunites-artis-2"


def test_the_public_tool_page_totals_what_was_paid(anonymous_client, db):
    from demo.factories.programme import EndowmentFactory, ToolFactory

    tool = ToolFactory()
    EndowmentFactory(tool=tool, year=2025, amount=Decimal("30000"), paid_amount=Decimal("24000"))
    EndowmentFactory(tool=tool, year=2026, amount=Decimal("32000"), paid_amount=Decimal("6000"))
    page = anonymous_client.get(tool.get_absolute_url()).content.decode()
    total_row = page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "62\u00a0000,00\u00a0€" in total_row
    assert "30\u00a0000,00\u00a0€" in total_row  # paid: 24,000 + 6,000
