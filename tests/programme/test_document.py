"""The programme's page, PDF and XLSX show the same figures, exact to the cent."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from demo.factories.programme import (
    EndowmentFactory,
    IndicatorFactory,
    LineFactory,
    ProgrammeFactory,
    ToolFactory,
    TransitionFactory,
    axis,
)
from ess_metro import workflow
from ess_metro.formatting import money
from programme import review
from programme.selectors import build_programme_structure

from .conftest import pdf_text, plain

PLANNED = {
    "events": [Decimal("12500.00"), Decimal("0.01")],
    "support": [Decimal("30000.33")],
    "financing": [Decimal("60000.00"), Decimal("1234.56")],
    "innovation-call": [Decimal("49999.99")],
}


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(year=2025, published=True)
    lines = {}
    for code, amounts in PLANNED.items():
        for position, amount in enumerate(amounts):
            lines[(code, position)] = LineFactory(
                programme=programme,
                axis=axis(code),
                position=position,
                title=f"Ligne {code} {position}",
                planned_amount=amount,
            )
    dla = ToolFactory(kind="support")
    fund = ToolFactory(kind="financing")
    EndowmentFactory(
        tool=dla,
        year=2025,
        line=lines[("support", 0)],
        amount=Decimal("30000.33"),
        paid_amount=Decimal("24000.26"),
    )
    EndowmentFactory(
        tool=fund,
        year=2025,
        line=lines[("financing", 0)],
        amount=Decimal("45000.10"),
        paid_amount=Decimal("0.07"),
    )
    IndicatorFactory(
        line=lines[("support", 0)],
        label="Structures accompagnées",
        unit="structures",
        target=Decimal("12"),
        actual=Decimal("14"),
    )
    return programme


EXPECTED = {
    "planned": Decimal("153734.89"),
    "committed": Decimal("75000.43"),
    "paid": Decimal("24000.33"),
}


def test_structure_totals_are_exact_decimals(programme):
    structure = build_programme_structure(programme)
    assert structure.totals.planned == EXPECTED["planned"]
    assert structure.totals.committed == EXPECTED["committed"]
    assert structure.totals.paid == EXPECTED["paid"]
    orientation_2 = structure.orientations[1]
    assert orientation_2.totals.planned == Decimal("91234.89")
    assert orientation_2.totals.committed == Decimal("75000.43")
    financing = next(a for a in orientation_2.axes if a.axis.code == "financing")
    assert financing.totals.planned == Decimal("61234.56")
    assert [block.orientation.number for block in structure.orientations] == [1, 2, 3, 4]
    assert structure.indicator_count == 1
    assert isinstance(structure.totals.planned, Decimal)


def test_html_pdf_and_xlsx_agree_to_the_cent(anonymous_client, programme):
    html = plain(
        anonymous_client.get(reverse("programme:programme_detail", args=[2025])).content.decode()
    )
    for key, amount in EXPECTED.items():
        assert f'data-total="{key}">{plain(money(amount))}<' in html
    assert "Total de l’orientation 2" in html

    pdf = anonymous_client.get(reverse("programme:programme_pdf", args=[2025]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_text(pdf.content))
    total_line = (
        "Total du programme 2025 "
        f"{plain(money(EXPECTED['planned']))} {plain(money(EXPECTED['committed']))} "
        f"{plain(money(EXPECTED['paid']))}"
    )
    assert total_line in text
    assert "153 734,89 €" in text
    assert "Total de l’axe 2.2 61 234,56 € 45 000,10 € 0,07 €" in text

    xlsx = anonymous_client.get(reverse("programme:programme_xlsx", args=[2025]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="programmation-ess-2025.xlsx"'
    workbook = load_workbook(io.BytesIO(xlsx.getvalue()))
    sheet = workbook.worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[2]]
    last = rows[-1]
    assert last[2] == "Total du programme 2025"
    assert [Decimal(str(value)).quantize(Decimal("0.01")) for value in last[4:7]] == list(
        EXPECTED.values()
    )
    indicators = workbook.worksheets[1]
    assert list(indicators.iter_rows(values_only=True))[1][2] == "Structures accompagnées"


def test_pdf_is_a_real_document(anonymous_client, programme):
    response = anonymous_client.get(reverse("programme:programme_pdf", args=[2025]))
    pages = pdf_text(response.content)
    assert len(pages) >= 6
    assert "Programmation annuelle de l’économie sociale et solidaire" in pages[0]
    assert "2025" in pages[0]
    assert "Publiée" in pages[0]
    assert "Sommaire" in pages[1]
    for number in range(1, 5):
        assert any(f"Orientation {number} :" in page for page in pages[2:])
    for index, page in enumerate(pages, start=1):
        assert f"page {index} / {len(pages)}" in page
        assert "BROUILLON" not in page
        if index > 1:
            assert "Programmation annuelle ESS 2025 — version 1" in page
    assert any("Indicateurs d’évaluation" in page and "117 %" in page for page in pages)


def test_draft_pdf_is_marked_on_every_page(staff_client, draft):
    LineFactory(programme=draft, planned_amount=Decimal("10.00"))
    response = staff_client.get(reverse("programme:programme_pdf", args=[2026]))
    assert response.status_code == 200
    assert "brouillon" in response["Content-Disposition"]
    pages = pdf_text(response.content)
    assert all("BROUILLON" in page for page in pages)
    html = staff_client.get(reverse("programme:programme_detail", args=[2026])).content.decode()
    assert "Ce programme est un brouillon" in html


def test_committee_composition_and_opinion_from_the_review_registry(
    anonymous_client, programme, monkeypatch
):
    def provider(reviewed):
        assert reviewed == programme
        return {
            "colleges": [
                {
                    "name": "Acteurs de l’ESS",
                    "members": [
                        {"name": "Hélène Rousseau", "organisation": "MGEN", "kind": "Titulaire"}
                    ],
                },
                {"name": "Communes", "members": []},
            ],
            "opinion": {
                "date": datetime.date(2024, 12, 5),
                "outcome": "Avis favorable",
                "text": "Attention portée à l’immobilier.",
                "tallies": [
                    {"college": "Acteurs de l’ESS", "for": 9, "against": 1, "abstention": 2}
                ],
                "conflicts": ["Marc Fournier"],
            },
        }

    monkeypatch.setattr(review, "_provider", [provider])
    html = plain(
        anonymous_client.get(reverse("programme:programme_detail", args=[2025])).content.decode()
    )
    for expected in ("Hélène Rousseau", "Avis favorable", "5 décembre 2024", "Marc Fournier"):
        assert expected in html
    pdf = "\n".join(
        pdf_text(anonymous_client.get(reverse("programme:programme_pdf", args=[2025])).content)
    )
    for expected in ("Hélène Rousseau", "MGEN", "Avis favorable", "Attention portée", "Communes"):
        assert expected in pdf


def test_committee_step_shown_when_no_review_is_registered(anonymous_client, programme):
    TransitionFactory(programme=programme, comment="Avis favorable, voté à l’unanimité")
    html = anonymous_client.get(reverse("programme:programme_detail", args=[2025]))
    assert "Avis favorable, voté à l’unanimité" in html.content.decode()


def test_evaluation_page_and_pdf(anonymous_client, programme):
    programme.evaluation_summary = "Bon niveau d’engagement sur l’orientation 2."
    programme.save()
    workflow.fire(programme, "evaluate")
    html = plain(
        anonymous_client.get(
            reverse("programme:programme_evaluation", args=[2025])
        ).content.decode()
    )
    assert "Bon niveau d’engagement" in html
    assert f'data-total="committed">{plain(money(EXPECTED["committed"]))}<' in html
    # 30 000,33 committed on 30 000,33 planned: 100 %; 24 000,26 paid: 80 %.
    assert "100 %" in html
    assert "80 %" in html
    assert "117 %" in html
    response = anonymous_client.get(reverse("programme:programme_evaluation_pdf", args=[2025]))
    text = "\n".join(pdf_text(response.content))
    assert "Rapport d’évaluation de la programmation annuelle" in text
    assert "Bon niveau d’engagement" in text
    assert "Structures accompagnées" in text
    assert "75 000,43 €" in text
