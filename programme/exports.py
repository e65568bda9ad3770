"""The programme as an XLSX workbook: the same structure as the page and the PDF."""

import io

from django.utils.translation import gettext as _

from .selectors import ProgrammeStructure

EURO_FORMAT = '#,##0.00 "€"'
LINE_WIDTHS = [40, 40, 50, 35, 16, 16, 16]


def _bold_row(sheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _append_amounts(sheet, values: list, amounts, *, is_total: bool = False) -> None:
    """A row of labels followed by the planned, committed and paid amounts in euros."""
    sheet.append([*values, amounts.planned, amounts.committed, amounts.paid])
    for cell in sheet[sheet.max_row][4:7]:
        cell.number_format = EURO_FORMAT
    if is_total:
        _bold_row(sheet, sheet.max_row)


def _write_header(sheet, programme) -> int:
    """The programme's title and status, then the column headers; returns the header row."""
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
        ]
    )
    _bold_row(sheet, sheet.max_row)
    return sheet.max_row


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


def _write_indicators(sheet, structure: ProgrammeStructure) -> None:
    sheet.append(
        [_("Axis"), _("Line"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("Comment")]
    )
    _bold_row(sheet, 1)
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
    sheet.freeze_panes = "A2"


def programme_workbook(structure: ProgrammeStructure) -> bytes:
    """Two sheets: the lines with subtotals per axis, orientation and year; the indicators."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Programme")[:31]
    header_row = _write_header(sheet, structure.programme)
    _write_lines(sheet, structure)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for letter, width in zip("ABCDEFG", LINE_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    _write_indicators(workbook.create_sheet(_("Indicators")[:31]), structure)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
