"""Every Excel export says who exported it and when (PIPL 第51条, 等保 安全审计).

``stamp_workbook`` puts "导出人 … 导出时间 …" in the printed header of every sheet (what a
printout or a PDF of it carries, like a watermark), in the document properties (author,
comments), and on a last sheet 导出信息 that also names what was exported. Data sheets keep their
rows untouched, so an exported roster still imports. ``audited_download`` sends the file and
puts the export on the audit log.
"""

import copy
from typing import TYPE_CHECKING

import xlsxwriter
import xlsxwriter.worksheet
from django.http import HttpResponse
from django.utils import timezone

from ganxun.core.audit import audit_record

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

INFO_SHEET = "导出信息"


def export_stamp(actor: "User") -> str:
    name = getattr(actor, "display_name", "") or ""
    who = f"{actor.username}（{name}）" if name else getattr(actor, "username", "system")
    return f"导出人：{who}  导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"


def stamp_workbook(book, actor: "User", *, what: str = "", note: str = "") -> None:
    """Call after the data sheets are written and before ``book.close()``."""
    stamp = export_stamp(actor)
    printable = stamp.replace("&", "&&")  # & starts a header code in Excel
    for sheet in book.worksheets():
        sheet.set_header(f"&L{printable}&R内部资料 注意保密")
        sheet.set_footer("&R第 &P 页 / 共 &N 页")
    book.set_properties(
        {"author": getattr(actor, "username", "system"), "comments": stamp, "title": what}
    )
    info = book.add_worksheet(INFO_SHEET)
    info.set_column(0, 0, 90)
    lines = [stamp, f"导出内容：{what}" if what else "", note]
    lines.append("本文件含个人信息，仅限工作需要使用，不得外传；用毕请删除。")
    for row, line in enumerate(line for line in lines if line):
        info.write_string(row, 0, line)


# --- the one workbook writer --------------------------------------------------------------
# Text a person typed (a suggestion, a name, a note) may start with "=", "+", "-" or "@": Excel
# and WPS read such a cell as a formula once it is edited or the sheet saved as CSV, and
# xlsxwriter's write() even writes "=…" as a live formula. Every workbook is made here: text is
# never turned into a formula, and text starting with one of these characters is stored with
# Excel's quote prefix (the cell shows the text as typed, and stays text when edited).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


class SafeWorksheet(xlsxwriter.worksheet.Worksheet):
    def _write_string(self, row, col, string, cell_format=None):
        if formula_like(string):
            cell_format = self._quoted(cell_format)
        return super()._write_string(row, col, string, cell_format)

    def _quoted(self, cell_format):
        book = self._safe_book
        key = id(cell_format)
        quoted = book._quoted_formats.get(key)
        if quoted is None:
            if cell_format is None:
                quoted = book.add_format({"quote_prefix": True})
            else:
                quoted = copy.copy(cell_format)
                quoted.xf_index = None
                quoted.set_quote_prefix(True)
                book.formats.append(quoted)
            book._quoted_formats[key] = (quoted, cell_format)  # keep the original alive
            return quoted
        return quoted[0]


class SafeWorkbook(xlsxwriter.Workbook):
    worksheet_class = SafeWorksheet

    def __init__(self, target, options: dict | None = None):
        super().__init__(target, {**(options or {}), "strings_to_formulas": False})
        self._quoted_formats: dict = {}

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = super().add_worksheet(name, worksheet_class or SafeWorksheet)
        sheet._safe_book = self
        return sheet


def safe_workbook(target, **options) -> SafeWorkbook:
    """``xlsxwriter.Workbook(target, options)`` for every export: see the note above."""
    return SafeWorkbook(target, options)


# --- the one audited download -------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited_download(
    *,
    actor: "User",
    content: bytes,
    filename: str,
    obj=None,
    object_type: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    content_type: str = XLSX,
):
    """The file as an attachment, with the export on the audit log (who took what, and with
    which filter). Without ``obj`` the export names the kind of object and ``object_repr``."""
    audit_record(
        actor=actor,
        action="export",
        obj=obj,
        object_type=object_type,
        object_id="" if obj is not None else "-",
        object_repr=object_repr,
        changes=changes,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
