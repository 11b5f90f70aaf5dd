"""Excel output: one sheet "cases", bold frozen header, readable column widths."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from libinnov.cases.writers._table import table_rows
from libinnov.types import Record

_WIDTHS = {"title": 40, "summary": 80, "library": 24}


def write_xlsx(records: Iterable[Record], handle: BinaryIO) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cases"
    count = -1
    for row in table_rows(records):
        sheet.append(row)
        count += 1
    header = [c.value for c in sheet[1]]
    for index, name in enumerate(header, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(
            str(name), 14
        )
    sheet.freeze_panes = "A2"
    workbook.save(handle)
    return max(count, 0)
