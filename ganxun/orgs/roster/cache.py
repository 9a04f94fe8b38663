"""The preview's parsed rows, kept for the commit that follows it.

Reading and parsing 100,000 rows costs about eight seconds; the commit started from a preview
loads what the preview parsed instead (well under a second) and then plans again against the
database as it is at commit time. What depends on the database is checked again on loading: a
unit retired or moved out of scope since the preview, or a category removed, turns its row into
an error rather than being written.
"""

import pickle
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from ganxun.orgs.models import Org
from ganxun.orgs.roster.errors import RowError
from ganxun.orgs.roster.headers import Header
from ganxun.orgs.roster.rows import Lookups, ParsedRow
from ganxun.orgs.roster.units import NewUnit

CACHE_NAME = "parsed.pickle"
FORMAT = 2


class CacheWriter:
    """A sink for parsed rows (before planning): one pickle per chunk, appended to one file."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_NAME
        self._file = None

    def start(self, sheet: str, total: int, header: Header) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("wb")
        pickle.dump((FORMAT, sheet, total, header), self._file)

    def add(self, rows: list[ParsedRow]) -> None:
        pickle.dump([_pack(row) for row in rows], self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _pack(row: ParsedRow) -> tuple:
    values = dict(row.values)
    unit = values.get("unit")
    if isinstance(unit, Org):
        values["unit"] = ("org", unit.pk)
    elif isinstance(unit, NewUnit):
        values["unit"] = ("new", unit.name)
    errors = [(e.column, e.message, e.code) for e in row.errors]
    warnings = [(e.column, e.message, e.code) for e in row.warnings]
    return (row.row, row.cells, values, row.id_number, row.id_text, errors, warnings)


def load(folder: Path) -> tuple[str, int, Header, Iterator[list[tuple]]] | None:
    """The cached header and a stream of packed chunks, or None when there is no usable cache."""
    path = folder / CACHE_NAME
    if not path.is_file():
        return None
    f = path.open("rb")
    try:
        version, sheet, total, header = pickle.load(f)  # our own file, written by the preview
    except (pickle.UnpicklingError, EOFError, ValueError):
        f.close()
        return None
    if version != FORMAT:
        f.close()
        return None
    return sheet, total, header, _chunks(f)


def _chunks(f) -> Iterator[list[tuple]]:
    with f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


def unpack(chunks: Iterator[list[tuple]], header: Header, lookups: Lookups) -> Iterator[ParsedRow]:
    for chunk in chunks:
        for number, cells, values, id_number, id_text, errors, warnings in chunk:
            row = ParsedRow(number, cells)
            row.values, row.id_number, row.id_text = values, id_number, id_text
            row.errors = [
                RowError(number, column, message, code) for column, message, code in errors
            ]
            row.warnings = [
                RowError(number, column, message, code) for column, message, code in warnings
            ]
            _recheck(row, header, lookups)
            yield row


def _recheck(row: ParsedRow, header: Header, lookups: Lookups) -> None:
    """Re-attach units and categories as they are now."""
    values = row.values
    vocab = lookups.vocab
    tables = (("rank_title", vocab.rank_names), ("personnel_category", vocab.category_names))
    for name, known in tables:
        pk = values.get(name)
        if pk is not None and pk not in known:
            del values[name]
            row.errors.append(
                RowError(
                    row.row,
                    header.label("rank" if name == "rank_title" else name),
                    _("该职级或人员类别在预览之后已被删除；请核对后重新上传"),
                    "vocabulary_changed",
                )
            )
        elif name == "rank_title" and pk is not None:
            values["rank"] = known[pk].level  # the table may have been edited since
    unit = values.get("unit")
    if unit is not None:
        kind, key = unit
        if kind == "new":
            values["unit"] = NewUnit(key)
        else:
            org = lookups.units.by_id.get(key)
            if org is None or not org.is_active:
                del values["unit"]
                row.errors.append(
                    RowError(
                        row.row,
                        header.label("unit"),
                        _("该单位在预览之后已被撤销或移出导入范围；请核对后重新上传"),
                        "unit_changed",
                    )
                )
            else:
                values["unit"] = org
    categories = values.get("categories")
    if categories and not categories <= lookups.category_names.keys():
        row.errors.append(
            RowError(
                row.row,
                header.label("categories"),
                _("该标签在预览之后已被删除；请核对后重新上传"),
                "category_changed",
            )
        )
