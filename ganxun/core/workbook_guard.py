"""Checks a workbook before any parser opens it, so one small hostile file cannot take the worker
down (issue 25): every import (roster, courses and faculty, platform credit records) reads through
``orgs.roster.reading.open_tables``, which calls ``guard_workbook`` first.

calamine (like most readers) holds a sheet as a dense grid from A1 to its last used cell: a file
of 1,677 bytes with one cell at XFD1048576 asks for 17 billion cells (549 GB) and the allocation
aborts the process; one at J5000000 costs 2.2 GB; a 2.5 MB zip can hold 300 MB of sheet XML.
Before parsing, for .xlsx/.xlsm and .ods (zip containers):

- the archive's entries may expand to at most ``MAX_UNCOMPRESSED`` bytes in all, and no entry
  larger than 1 MB may be compressed more than ``MAX_RATIO`` to 1 (zip bombs) — read from the
  zip directory, nothing is decompressed;
- each worksheet's XML is streamed (decompressed in 1 MB pieces, never held whole) and its
  cells counted, its last row and column taken from the cells' own references (or their order,
  where a writer leaves references out; the declared ``<dimension>`` is not trusted), so the grid
  the parser would allocate (last row × last column) is known: at most ``MAX_GRID`` cells per
  sheet and ``MAX_CELLS`` written cells per workbook.

Memory while reading is therefore bounded by the grid (a few hundred MB at the limits). .xls
(BIFF) files cannot exceed 65,536 × 256 cells and are bounded by the 50 MB upload limit. Every
refusal is a ``SpreadsheetError`` with a Chinese message saying what to do.
"""

import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from ganxun.core.spreadsheets import SpreadsheetError

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_GRID = 8_000_000  # e.g. 200,000 rows × 40 columns: calamine holds it in about 250 MB
MAX_CELLS = 8_000_000
CHUNK = 1024 * 1024

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)/?>")
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})?(\d{1,7})?"')
_TOKEN = re.compile(rb"<(?:\w+:)?row\b[^>]*>|<(?:\w+:)?c\b[^>]*?/?>|</(?:\w+:)?row>")


def guard_workbook(path: Path, kind: str) -> None:
    """Raise ``SpreadsheetError`` unless the workbook at ``path`` is safe to parse."""
    if kind not in ("xlsx", "ods"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos)
            if kind == "xlsx":
                total = 0
                for info in infos:
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(
                        ".xml"
                    ):
                        with archive.open(info) as stream:
                            total += _check_sheet(stream, info.filename)
                        if total > MAX_CELLS:
                            raise _too_many_cells(total)
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile):
        raise SpreadsheetError(
            "unreadable", _("文件已损坏，无法打开；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。")
        ) from None


def _check_sizes(infos) -> None:
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_UNCOMPRESSED:
        raise SpreadsheetError(
            "workbook_too_large",
            _(
                "这个表格解压后有 %(size)s MB，超过了 %(limit)s MB 的上限，不能导入。"
                "请删除无关的工作表、图片和空白行列后另存，或拆分成几个文件再导入。"
            )
            % {"size": f"{expanded / 1024 / 1024:.0f}", "limit": MAX_UNCOMPRESSED // 1024 // 1024},
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SpreadsheetError(
                "workbook_suspicious",
                _(
                    "这个表格的内容被异常压缩（解压后是压缩时的上百倍），可能是损坏或恶意构造的"
                    "文件，不能导入。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。"
                ),
            )


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_sheet(stream, name: str) -> int:
    """Stream one worksheet's XML; returns its cell count, raises if its grid is too large."""
    last_row = last_col = cells = 0
    row = col = 0
    tail = b""
    while True:
        piece = stream.read(CHUNK)
        data = tail + piece
        if not piece:
            end = len(data)
        else:
            cut = data.rfind(b"<")
            end = cut if cut > 0 else len(data)
        for match in _TOKEN.finditer(data, 0, end):
            token = match.group(0)
            if token.startswith(b"</"):
                continue
            ref = _REF_ATTR.search(token)
            if _CELL.fullmatch(token):
                cells += 1
                if ref and ref.group(1):
                    col = _column_number(ref.group(1))
                    if ref.group(2):
                        row = max(row, int(ref.group(2)))
                else:
                    col += 1
                last_col = max(last_col, col)
            else:  # a row
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
            last_row = max(last_row, row)
        if last_row * last_col > MAX_GRID:
            raise SpreadsheetError(
                "sheet_too_large",
                _(
                    "工作表中有内容写到了第 %(row)s 行、第 %(col)s 列，读取时要按 %(rows)s × "
                    "%(cols)s 个单元格处理，超过了 %(limit)s 个的上限，不能导入。请删除名册以外"
                    "远处的单元格（可在 Excel 中按 Ctrl+End 找到），或拆分文件后再导入。"
                )
                % {
                    "row": last_row,
                    "col": last_col,
                    "rows": f"{last_row:,}",
                    "cols": f"{last_col:,}",
                    "limit": f"{MAX_GRID:,}",
                },
            )
        if not piece:
            return cells
        tail = data[end:]
        if len(tail) > CHUNK:  # a single tag larger than 1 MB is not a spreadsheet cell
            raise SpreadsheetError(
                "workbook_suspicious",
                _("这个表格的结构异常，可能是损坏或恶意构造的文件，不能导入。"),
            )


def _too_many_cells(total: int) -> SpreadsheetError:
    return SpreadsheetError(
        "workbook_too_large",
        _("这个表格有超过 %(limit)s 个单元格，超过了一次导入的上限；请拆分成几个文件再导入。")
        % {"limit": f"{MAX_CELLS:,}"},
    )
