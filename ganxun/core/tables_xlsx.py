"""Tables to an .xlsx that opens cleanly in Excel and WPS, and the audited download response.

A table is a title, its headers and rows of plain values (text, int, Decimal, date); numbers
stay numbers so offices can sum them again. Used by the statistics and budget exports, so
it sits below both.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ganxun.core.exports import audited_download, safe_workbook, stamp_workbook

if TYPE_CHECKING:
    from ganxun.accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    links: list[str | None] = field(default_factory=list)  # per row, for the page's first column


def sheet_name(index: int, text: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in sheet names, unique per workbook."""
    clean = "".join(ch for ch in text if ch not in "[]:*?/\\")
    name = f"{index}.{clean}"[:31]
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def tables_xlsx(title: str, tables: list[Table], *, actor: "User | None" = None) -> bytes:
    """One sheet per table: the report's title, the table's title and note, then the table."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, in_memory=True)
    formats = {
        "heading": book.add_format({"bold": True, "font_size": 13}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "decimal": book.add_format({"num_format": "0.0"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    used: set[str] = set()
    for index, table in enumerate(tables, start=1):
        _write_table(
            book.add_worksheet(sheet_name(index, table.title, used)), title, table, formats
        )
    if not tables:
        book.add_worksheet(_("无数据")).write_string(
            0, 0, _("%(title)s：所选范围内没有数据。") % {"title": title}
        )
    if actor is not None:
        stamp_workbook(book, actor, what=title)
    book.close()
    return buffer.getvalue()


def _write_table(sheet, title: str, table: Table, formats: dict) -> None:
    sheet.write_string(0, 0, f"{title} · {table.title}", formats["heading"])
    if table.note:
        sheet.write_string(1, 0, table.note)
    top = 3
    for col, header in enumerate(table.headers):
        sheet.write_string(top, col, header, formats["header"])
        sheet.set_column(col, col, 24 if col == 0 else 14)
    for r, values in enumerate(table.rows, start=top + 1):
        for col, value in enumerate(values):
            _write_cell(sheet, r, col, value, formats)
    if not table.rows:
        sheet.write_string(top + 1, 0, _("（无数据）"))
    sheet.freeze_panes(top + 1, 0)


def _write_cell(sheet, row: int, col: int, value, formats: dict) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_string(row, col, _("是") if value else _("否"))
    elif isinstance(value, Decimal):
        fmt = formats["money"] if value.as_tuple().exponent == -2 else formats["decimal"]
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime | date):
        day = value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
        sheet.write_datetime(row, col, day, formats["date"])
    else:
        sheet.write_string(row, col, str(value))


def xlsx_download(
    *, actor: "User", content: bytes, filename: str, what: str, object_type: str, params: str
):
    """The file as an attachment, with the export on the audit log (who took which figures)."""
    return audited_download(
        actor=actor,
        content=content,
        filename=filename,
        object_type=object_type,
        object_repr=what,
        changes={"filter": [None, params]},
    )
