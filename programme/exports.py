"""The programme as an XLSX workbook: the same structure as the page and the PDF."""

import io

from django.utils.translation import gettext as _

from .structure import ProgrammeStructure

EURO_FORMAT = '#,##0.00 "€"'


def programme_workbook(structure: ProgrammeStructure) -> bytes:
    """Two sheets: the lines with subtotals per axis, orientation and year; the indicators."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    programme = structure.programme
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Programme")[:31]
    bold = Font(bold=True)
    sheet.append([str(programme), _("Version %(version)s") % {"version": programme.version}])
    sheet.append([_("Status"), programme.get_status_display()])
    sheet.append([])
    headers = [
        _("Orientation"),
        _("Axis"),
        _("Line"),
        _("Operator or beneficiary"),
        _("Planned"),
        _("Committed"),
        _("Paid"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold

    def amounts_row(values, amounts, *, is_total=False):
        sheet.append([*values, amounts.planned, amounts.committed, amounts.paid])
        for cell in sheet[sheet.max_row][4:7]:
            cell.number_format = EURO_FORMAT
        if is_total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    for block in structure.orientations:
        orientation = f"{block.orientation.number}. {block.orientation.title}"
        for axis_block in block.axes:
            axis = f"{axis_block.axis.full_number} {axis_block.axis.title}"
            for row in axis_block.lines:
                beneficiary = row.line.beneficiary.name if row.line.beneficiary else ""
                amounts_row([orientation, axis, row.line.title, beneficiary], row.amounts)
            amounts_row(
                [orientation, axis, _("Total of the axis"), ""], axis_block.totals, is_total=True
            )
        amounts_row(
            [orientation, "", _("Total of the orientation"), ""], block.totals, is_total=True
        )
    amounts_row(
        ["", "", _("Total of the programme %(year)s") % {"year": programme.year}, ""],
        structure.totals,
        is_total=True,
    )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for letter, width in zip("ABCDEFG", [40, 40, 50, 35, 16, 16, 16], strict=True):
        sheet.column_dimensions[letter].width = width

    indicators = workbook.create_sheet(_("Indicators")[:31])
    indicators.append(
        [_("Axis"), _("Line"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("Comment")]
    )
    for cell in indicators[1]:
        cell.font = bold
    for block in structure.orientations:
        for axis_block in block.axes:
            for line, indicator in axis_block.indicators:
                indicators.append(
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
    indicators.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
