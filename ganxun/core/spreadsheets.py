"""Generic pieces of spreadsheet imports: find the header row by synonyms, write an error report.

Reading a file (.xlsx/.xls/.csv, sniffed from its content, merged cells filled) is done by
``ganxun.orgs.roster.reading.open_tables``, which yields ``Table`` objects with ``name`` and
``rows`` (an iterator of ``(excel_row_number, cells)``). Any importer hands such a table and its
own field synonyms to ``find_header`` and records refused rows in an ``ErrorReport``.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import NoReturn

from django.utils.translation import gettext as _

from ganxun.core.errors import DomainError
from ganxun.core.exports import safe_workbook

HEAD_SCAN = 30  # title rows above the header are few; data starts well before this
_BRACKETED = re.compile(r"[(\[（【].*?[)\]）】]")
_DECORATION = re.compile(r"^[*※]+|[*※:：]+$")


class SpreadsheetError(DomainError):
    """The file as a whole cannot be imported (empty sheet, no recognisable header…)."""


def normalise_label(value) -> str:
    """'课程名称（必填）*' and '课 程 名 称' both become '课程名称'."""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    text = _BRACKETED.sub("", text)
    return _DECORATION.sub("", text)


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # the header as written in the file, for error messages


@dataclass
class SheetHeader:
    sheet: str
    row: int  # Excel row number of the (last) header row
    columns: dict[str, Column]
    labels: list[str]  # every column's header text, for the error report

    def has(self, field: str) -> bool:
        return field in self.columns

    def cell(self, cells: list, field: str):
        column = self.columns.get(field)
        if column is None or column.index >= len(cells):
            return ""
        return cells[column.index]


def find_header(
    table, fields: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[SheetHeader, Iterator[tuple[int, list]]]:
    """Try each of the first rows alone and with the row below (a two-row header); the
    candidate that recognises the most fields wins, the shorter and earlier one on a tie.
    ``fields`` maps a field to its words, the first being the canonical header."""
    by_label = {normalise_label(word): name for name, words in fields.items() for word in words}
    probe = list(islice(table.rows, HEAD_SCAN))
    best = None
    for i, (_row, cells) in enumerate(probe):
        below = probe[i + 1][1] if i + 1 < len(probe) else None
        for height, mapping in (
            (1, _map(by_label, cells, None)),
            (2, _map(by_label, below, cells)),
        ):
            if mapping is None or not all(f in mapping for f in required):
                continue
            key = (len(mapping), -height, -i)
            if best is None or key > best[0]:
                best = (key, i, height, mapping)
    if best is None:
        _refuse(table, probe, fields, required)
    _, i, height, mapping = best
    last = i + height - 1
    upper, lower = probe[i][1], probe[last][1]
    labels = [
        str(_at(lower, c) or _at(upper, c) or "").strip()
        for c in range(max(len(upper), len(lower)))
    ]
    header = SheetHeader(sheet=table.name, row=probe[last][0], columns=mapping, labels=labels)
    return header, chain(probe[last + 1 :], table.rows)


def _map(by_label: dict, cells: list | None, upper: list | None) -> dict[str, Column] | None:
    """Columns named by their cell, or (two-row header) by the cell above where it is blank."""
    if cells is None:
        return None
    mapping: dict[str, Column] = {}
    width = max(len(cells), len(upper or ()))
    for index in range(width):
        for value in (_at(cells, index), _at(upper or [], index)):
            field = by_label.get(normalise_label(value)) if value != "" else None
            if field:
                mapping.setdefault(field, Column(index, str(value).strip()))
                break
    return mapping


def _at(cells: list, index: int):
    return cells[index] if index < len(cells) else ""


def _refuse(table, probe: list, fields: dict, required: tuple[str, ...]) -> NoReturn:
    if not any(any(str(c).strip() for c in cells) for _, cells in probe):
        raise SpreadsheetError(
            "empty_sheet", _("工作表“%(name)s”是空的，没有可导入的数据。") % {"name": table.name}
        )
    must = "、".join(f"“{fields[f][0]}”" for f in required)
    known = "、".join(words[0] for words in fields.values())
    raise SpreadsheetError(
        "no_header",
        _(
            "在工作表“%(name)s”的前 %(HEAD_SCAN)s 行中没有找到表头。表头至少要有%(must)s列；可识别"
            "的列有：%(known)s。请对照导入模板修改表头后再导入。"
        )
        % {"name": table.name, "HEAD_SCAN": HEAD_SCAN, "must": must, "known": known},
    )


class ErrorReport:
    """The refused rows as they were, plus 原行号 and 错误说明: fix them and import this file."""

    def __init__(self, path: Path, labels: list[str], sheet: str = "错误行"):
        self.path = path
        self.rows = 0
        self._book = safe_workbook(str(path), constant_memory=True)
        self._sheet = self._book.add_worksheet(sheet)
        bold = self._book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        self._wrap = self._book.add_format({"text_wrap": True, "font_color": "#C00000"})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._width = len(labels)
        for col, label in enumerate([*labels, "原行号", "错误说明"]):
            self._sheet.write_string(0, col, label, bold)
        self._sheet.set_column(0, max(self._width - 1, 0), 16)
        self._sheet.set_column(self._width + 1, self._width + 1, 60)
        self._sheet.freeze_panes(1, 0)

    def add(self, row_number: int, cells: list, messages: list[str]) -> None:
        self.rows += 1
        for col, value in enumerate(cells[: self._width]):
            self._write(self.rows, col, value)
        self._sheet.write_number(self.rows, self._width, row_number)
        self._sheet.write_string(self.rows, self._width + 1, "\n".join(messages), self._wrap)

    def close(self) -> None:
        self._book.close()

    def _write(self, row: int, col: int, value) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            self._sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float):
            self._sheet.write_number(row, col, value)
        elif isinstance(value, datetime | date):
            moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
            self._sheet.write_datetime(row, col, moment, self._date)
        elif isinstance(value, time | timedelta):
            self._sheet.write_string(row, col, str(value))
        else:
            self._sheet.write_string(row, col, str(value))
