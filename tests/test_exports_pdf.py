import io
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from ess_metro.exports import csv_response, xlsx_bytes
from ess_metro.pdf import render_pdf


def test_csv_is_french_spreadsheet_friendly():
    response = csv_response("x.csv", ["Nom", "Montant"], [["Léa", Decimal("12500.5")]])
    body = response.content.decode("utf-8")
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
