"""Reading a roster file as offices produce it: .xlsx / .xls through calamine, .csv in UTF-8 or GBK.

The type is sniffed from the content, never trusted from the name: offices rename files, and many
government systems export HTML or tab-separated text under an .xls name. Rows come out as
``(excel_row_number, cells)`` with merged ranges filled from their top-left cell, so a unit
written once beside a block of people counts for every row of the block.
"""

import codecs
import csv
import io
import mmap
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from ganxun.core.spreadsheets import SpreadsheetError
from ganxun.core.workbook_guard import guard_workbook
from ganxun.orgs.roster.errors import RosterFileError

MAX_BYTES = 50 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A password-protected .xlsx is an OLE container holding an "EncryptedPackage" stream; directory
# entry names are UTF-16LE.
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
RESAVE_HINT = gettext_lazy("请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。")


@dataclass
class Table:
    """One sheet (or the CSV file) as a stream of rows."""

    name: str
    rows: Iterator[tuple[int, list]]
    total: int  # rows in the sheet, for the progress bar
    # row number → why that row's source could not be read (one .lrmx form of a zip): the row is
    # reported with this message instead of being parsed
    unreadable: dict[int, str] = field(default_factory=dict)


def sniff(path: Path) -> str:
    """'xlsx', 'xls', 'ods', 'csv' or 'lrmx' (干部任免审批表, one form or a zip of them) — or a
    RosterFileError saying in Chinese what the file is."""
    size = path.stat().st_size
    if size == 0:
        raise RosterFileError("empty_file", _("文件是空的（0 字节），请检查是否选错了文件。"))
    if size > MAX_BYTES:
        raise RosterFileError(
            "file_too_large",
            _(
                "文件有 %(value)s MB，超过了 %(value2)s MB 的上限；请删除无关的工作表、图片后再导"
                "入，或拆分成几个文件。"
            )
            % {"value": f"{size / 1024 / 1024:.0f}", "value2": MAX_BYTES // 1024 // 1024},
        )
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        if _contains(path, ENCRYPTED_MARK):
            raise RosterFileError("encrypted", _("文件已加密，请取消密码后再导入。"))
        return "xls"
    return _sniff_text(head)


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError):
        raise RosterFileError(
            "not_spreadsheet", _("文件已损坏，无法打开。") + RESAVE_HINT
        ) from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if any(name.lower().endswith(".lrmx") for name in names):
        return "lrmx"
    if "word/document.xml" in names:
        raise RosterFileError(
            "not_spreadsheet", _("这是一个 Word 文档，不是表格；请上传 Excel 名册。")
        )
    raise RosterFileError(
        "not_spreadsheet", _("这是一个压缩包，不是 Excel 表格；请上传名册文件本身。")
    )


def _contains(path: Path, needle: bytes) -> bool:
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return view.find(needle) != -1


def _sniff_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"  # Excel's "Unicode 文本" export
    lowered = head.lstrip().lower()
    if b"<person" in lowered and lowered.startswith((b"<?xml", b"<person")):
        return "lrmx"
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise RosterFileError(
            "html_as_xls",
            _("这是网页（HTML/XML）格式另存的表格，不是真正的 Excel 文件；") + RESAVE_HINT,
        )
    if b"\x00" in head:
        raise RosterFileError(
            "not_spreadsheet", _("无法识别该文件：它不是 Excel（.xlsx/.xls）或 CSV 表格。")
        )
    return "csv"


def open_tables(path: Path) -> Iterator[Table]:
    """The visible sheets of the workbook in order (a CSV file is one table)."""
    kind = sniff(path)
    if kind == "csv":
        yield _csv_table(path)
        return
    if kind == "lrmx":
        raise RosterFileError(
            "not_spreadsheet", _("任免审批表（.lrmx）只能导入干部名册；这里请上传 Excel 表格。")
        )
    try:
        guard_workbook(path, kind)  # dimension, zip and cell-count bombs: before any parser
    except SpreadsheetError as exc:
        raise RosterFileError(exc.code, exc.message) from None
    book = _open_workbook(path)
    for meta in book.sheets_metadata:
        if meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
        except CalamineError:
            continue  # chart sheets and macro sheets hold no rows
        end = sheet.end  # (last row, last column), 0-based; None for an empty sheet
        yield Table(name=meta.name, rows=_sheet_rows(sheet), total=end[0] + 1 if end else 0)


def _open_workbook(path: Path) -> CalamineWorkbook:
    try:
        with path.open("rb") as f:
            return CalamineWorkbook.from_filelike(f)
    except PasswordError:
        raise RosterFileError("encrypted", _("文件已加密，请取消密码后再导入。")) from None
    except (CalamineError, ValueError, OSError):
        raise RosterFileError(
            "unreadable", _("无法读取该文件，它可能已损坏或不是 Excel 文件；") + RESAVE_HINT
        ) from None


def _sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    # calamine's iter_rows starts at the sheet's first row (A1's row) but at its first used
    # column; merged ranges are absolute, so shift them to the same columns.
    start = sheet.start
    col_offset = start[1] if start else 0
    ranges = sheet.merged_cell_ranges or []
    if not ranges:
        yield from enumerate(sheet.iter_rows(), start=1)
        return
    filler = MergeFiller(ranges, col_offset)
    for index, cells in enumerate(sheet.iter_rows()):
        yield index + 1, filler.fill(index, cells)


class MergeFiller:
    """Copies each merged range's top-left value into the range's other (empty) cells."""

    def __init__(self, ranges, col_offset: int = 0):
        self._by_start: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for (r0, c0), (r1, c1) in ranges:
            c0, c1 = max(c0 - col_offset, 0), c1 - col_offset
            if c1 >= 0 and (r0, c0) != (r1, c1):
                self._by_start[r0].append((r1, c0, c1))
        self._active: list[tuple[int, int, int, object]] = []

    def fill(self, row: int, cells: list) -> list:
        if not self._by_start and not self._active:
            return cells
        for r1, c0, c1 in self._by_start.pop(row, ()):
            self._active.append((r1, c0, c1, cells[c0] if c0 < len(cells) else ""))
        self._active = [a for a in self._active if a[0] >= row]
        for _row, c0, c1, value in self._active:
            for col in range(c0, min(c1, len(cells) - 1) + 1):
                if cells[col] == "":
                    cells[col] = value
        return cells


def _csv_table(path: Path) -> Table:
    text = _decode(path.read_bytes())
    delimiter = _delimiter(text[:20_000])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return Table(name=path.name, rows=_csv_rows(reader), total=text.count("\n") + 1)


def _csv_rows(reader) -> Iterator[tuple[int, list]]:
    # a long cell (a pasted résumé) is read whole — the file is at most MAX_BYTES — and judged by
    # the importer's own rules; a malformed file is refused in words, never "任务出错：Error"
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise RosterFileError(
            "unreadable",
            _(
                "CSV 文件第 %(line)s 行的格式有误（%(error)s），无法读取；"
                "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
            )
            % {"line": reader.line_num, "error": exc},
        ) from None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 — the superset of GBK that
    Chinese Excel and WPS write when saving CSV."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        "not_spreadsheet",
        _("无法识别该文件：它不是 Excel 表格，也不是 UTF-8 或 GBK 编码的 CSV 文本。"),
    )


def _delimiter(sample: str) -> str:
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
