"""Real roster files for the import tests: .xlsx (openpyxl), .xls (xlwt), .csv in any encoding.

Rows are lists of cell values; ``title`` rows are merged across the header's width the way
offices put "XX县干部花名册" above the table.
"""

from datetime import date
from pathlib import Path

import openpyxl
import xlwt

from ganxun.orgs.idcard import make_id_number

HEADERS = ["姓名", "性别", "身份证号", "出生年月", "单位", "职务", "职级", "手机"]


def person_id(n: int, born: date = date(1985, 3, 14), male: bool = True) -> str:
    """A valid, distinct ID number per n (odd sequence = male)."""
    return make_id_number("330201", born, (n % 450) * 2 + (1 if male else 0))


def write_xlsx(
    path: Path,
    rows: list[list],
    *,
    titles: tuple[str, ...] = (),
    merges: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
) -> Path:
    """``titles`` become merged rows above ``rows``; ``merges`` are extra ranges ("F3:H3");
    ``formats`` maps a cell to its number format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "干部花名册"
    width = max(len(r) for r in rows) if rows else 1
    for i, title in enumerate(titles, start=1):
        sheet.cell(i, 1, title)
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    for r, values in enumerate(rows, start=len(titles) + 1):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                sheet.cell(r, c, value)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list], *, titles: tuple[str, ...] = ()) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名册")
    month = xlwt.easyxf(num_format_str="yyyy.mm")
    width = max(len(r) for r in rows)
    for i, title in enumerate(titles):
        sheet.write_merge(i, i, 0, width - 1, title)
    for r, values in enumerate(rows, start=len(titles)):
        for c, value in enumerate(values):
            if isinstance(value, date):
                sheet.write(r, c, value, month)
            elif value is not None and value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", sep: str = ",") -> Path:
    lines = [sep.join(_csv_cell(v, sep) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _csv_cell(value, sep: str) -> str:
    text = "" if value is None else str(value)
    if sep in text or '"' in text or "\n" in text:
        text = '"' + text.replace('"', '""') + '"'
    return text
