"""The programme as an XLSX workbook: the same structure as the page and the PDF.

Written through ``ess_metro.exports.XlsxWorkbook`` like every spreadsheet of the portal:
write-only, amounts in euros, text neutralised against formula injection.
"""

from django.utils.translation import gettext as _

from ess_metro.exports import XlsxSheet, XlsxWorkbook

from .selectors import ProgrammeStructure

LINE_WIDTHS = [40, 40, 50, 35, 16, 16, 16]
# The title, the status, a blank row, the column headers: the lines start on row 5.
FIRST_LINE_CELL = "A5"


def _append_amounts(sheet: XlsxSheet, values: list, amounts, *, is_total: bool = False) -> None:
    """A row of labels followed by the planned, committed and paid amounts in euros."""
    sheet.append([*values, amounts.planned, amounts.committed, amounts.paid], bold=is_total)


def _write_header(sheet: XlsxSheet, programme) -> None:
    """The programme's title and status, then the column headers (four rows)."""
    sheet.append([str(programme), _("Version %(version)s") % {"version": programme.version}])
    sheet.append([_("Status"), programme.get_status_display()])
    sheet.append([])
    sheet.append(
        [
            _("Orientation"),
            _("Axis"),
            _("Line"),
            _("Operator or beneficiary"),
            _("Planned"),
            _("Committed"),
            _("Paid"),
        ],
        bold=True,
    )


def _write_lines(sheet, structure: ProgrammeStructure) -> None:
    """Every line, with subtotals per axis and orientation and the programme's total."""
    for block in structure.orientations:
        orientation = f"{block.orientation.number}. {block.orientation.title}"
        for axis_block in block.axes:
            axis = f"{axis_block.axis.full_number} {axis_block.axis.title}"
            for row in axis_block.lines:
                beneficiary = row.line.beneficiary.name if row.line.beneficiary else ""
                _append_amounts(
                    sheet, [orientation, axis, row.line.title, beneficiary], row.amounts
                )
            _append_amounts(
                sheet,
                [orientation, axis, _("Total of the axis"), ""],
                axis_block.totals,
                is_total=True,
            )
        _append_amounts(
            sheet, [orientation, "", _("Total of the orientation"), ""], block.totals, is_total=True
        )
    year = structure.programme.year
    _append_amounts(
        sheet,
        ["", "", _("Total of the programme %(year)s") % {"year": year}, ""],
        structure.totals,
        is_total=True,
    )


def _write_indicators(sheet: XlsxSheet, structure: ProgrammeStructure) -> None:
    sheet.append(
        [_("Axis"), _("Line"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("Comment")],
        bold=True,
    )
    for block in structure.orientations:
        for axis_block in block.axes:
            for line, indicator in axis_block.indicators:
                sheet.append(
                    [
                        axis_block.axis.full_number,
                        line.title,
                        indicator.label,
                        indicator.unit,
                        indicator.target,
                        indicator.actual,
                        indicator.comment,
                    ]
                )


def programme_workbook(structure: ProgrammeStructure) -> XlsxWorkbook:
    """Two sheets: the lines with subtotals per axis, orientation and year; the indicators."""
    workbook = XlsxWorkbook()
    lines = workbook.sheet(_("Programme"), widths=LINE_WIDTHS, freeze=FIRST_LINE_CELL)
    _write_header(lines, structure.programme)
    _write_lines(lines, structure)
    _write_indicators(workbook.sheet(_("Indicators"), freeze="A2", euros=False), structure)
    return workbook
