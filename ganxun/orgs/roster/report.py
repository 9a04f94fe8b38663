"""What a preview leaves behind: the rows by status (JSON lines, paged by the preview page) and
the error report (.xlsx with the original rows and a 错误说明 column, fixable and re-importable)."""

import json
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path

from ganxun.core.exports import safe_workbook
from ganxun.orgs.idcard import mask_id_number
from ganxun.orgs.models import Cadre, Org
from ganxun.orgs.roster.headers import Header
from ganxun.orgs.roster.plan import ERROR, STATUSES, RowPlan
from ganxun.orgs.roster.rows import Lookups
from ganxun.orgs.roster.units import NewUnit

ERROR_REPORT = "错误报告.xlsx"
# one encoder for 100,000 records (json.dumps with options builds a new one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
CHOICES = {
    "gender": Cadre.Gender.choices,
    "rank": Cadre.Rank.choices,
    "leader_role": Cadre.LeaderRole.choices,
    "status": Cadre.Status.choices,
}


class PreviewStore:
    """Receives planned rows chunk by chunk and writes them out; keeps nothing in memory."""

    def __init__(self, folder: Path, lookups_names: dict[int, str] | None = None):
        self.folder = folder
        self.error_report: Path | None = None
        self._files = {}
        self._book = self._sheet = None
        self._next_row = 1
        self._header: Header | None = None
        self._lookups: Lookups | None = None

    def start(self, header: Header, lookups: Lookups) -> None:
        # labels resolved to plain text once: str() of a lazy translation costs microseconds
        self._labels = {f: {v: str(label) for v, label in c} for f, c in CHOICES.items()}
        self.folder.mkdir(parents=True, exist_ok=True)
        self._header, self._lookups = header, lookups
        self._files = {s: (self.folder / f"rows-{s}.jsonl").open("w") for s in STATUSES}

    def add(self, plans: list[RowPlan]) -> None:
        lines: dict[str, list[str]] = {status: [] for status in STATUSES}
        encode = _ENCODER.encode
        for plan in plans:
            lines[plan.status].append(encode(self._record(plan)))
            if plan.status == ERROR:
                self._write_error_row(plan)
        for status, chunk in lines.items():
            if chunk:
                self._files[status].write("\n".join(chunk) + "\n")

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        if self._book is not None:
            self._book.close()

    # --- the preview's row records -----------------------------------------------------------

    def _record(self, plan: RowPlan) -> dict:
        v = plan.values
        record = {
            "row": plan.row,
            "name": v.get("name") or "",
            # masked: the preview is a page anyone with the job can open, and the rows stay on
            # disk until purged; the full number is only in the uploaded file itself
            "id": mask_id_number(plan.parsed.id_number)
            if plan.parsed.id_number
            else _masked_text(plan.parsed.id_text),
            "unit": _unit_text(v.get("unit")),
            "rank": self._lookups.vocab.name_of("rank_title", v.get("rank_title")),
            "level": self._labels["rank"].get(v.get("rank"), ""),
            "category": self._lookups.vocab.name_of(
                "personnel_category", v.get("personnel_category")
            ),
        }
        if plan.parsed.errors:
            record["errors"] = [[e.column, e.message] for e in plan.parsed.errors]
        if plan.parsed.warnings:
            record["warnings"] = [[e.column, e.message] for e in plan.parsed.warnings]
        if plan.changes:
            record["changes"] = [
                [self._field_label(name), self._shown(name, old), self._shown(name, new)]
                for name, (old, new) in plan.changes.items()
            ]
        return record

    def _field_label(self, name: str) -> str:
        return "出生日期" if name == "birth_date" else self._header.label(name)

    def _shown(self, name: str, value) -> str:
        if name in self._labels:
            return self._labels[name].get(value, str(value))
        if name == "unit":
            by_id = self._lookups.units.by_id
            return (
                by_id[value].name
                if isinstance(value, int) and value in by_id
                else _unit_text(value)
            )
        if name in ("rank_title", "personnel_category"):
            return self._lookups.vocab.name_of(name, value)
        if name == "categories":
            names = self._lookups.category_names
            return "、".join(sorted(names.get(i, str(i)) for i in value))
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    # --- the error report --------------------------------------------------------------------

    def _write_error_row(self, plan: RowPlan) -> None:
        if self._book is None:
            self._open_report()
        row = self._next_row
        for col, value in enumerate(plan.parsed.cells):
            self._write_cell(row, col, value)
        width = len(self._header.labels)
        self._sheet.write_number(row, width, plan.row)
        explanation = "\n".join(f"【{e.column}】{e.message}" for e in plan.parsed.errors)
        self._sheet.write_string(row, width + 1, explanation, self._wrap)
        self._next_row += 1

    def _open_report(self) -> None:
        self.error_report = self.folder / ERROR_REPORT
        self._book = safe_workbook(str(self.error_report), constant_memory=True)
        self._sheet = self._book.add_worksheet("错误行")
        bold = self._book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        self._wrap = self._book.add_format({"text_wrap": True, "font_color": "#C00000"})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})
        labels = [*self._header.labels, "原行号", "错误说明"]
        for col, label in enumerate(labels):
            self._sheet.write_string(0, col, label, bold)
        self._sheet.set_column(0, len(labels) - 3, 14)
        self._sheet.set_column(len(labels) - 1, len(labels) - 1, 60)
        self._sheet.freeze_panes(1, 0)

    def _write_cell(self, row: int, col: int, value) -> None:
        if value == "" or value is None:
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


def _masked_text(written: str) -> str:
    """An invalid number as written, with its middle hidden (enough to find the row)."""
    if len(written) <= 8:
        return written
    return written[:4] + "*" * (len(written) - 8) + written[-4:]


def _unit_text(unit) -> str:
    if isinstance(unit, NewUnit):
        return f"{unit.name}（将新建）"
    if isinstance(unit, Org):
        return unit.name
    return ""


class RowList:
    """The stored preview rows of some statuses, in status order, sliceable for a Paginator."""

    def __init__(self, folder: Path, counts: dict[str, int], statuses=STATUSES):
        self.parts = [(folder / f"rows-{s}.jsonl", counts.get(s, 0), s) for s in statuses]

    def __len__(self) -> int:
        return sum(n for _, n, _ in self.parts)

    def __getitem__(self, wanted: slice) -> list[dict]:
        start, stop = wanted.start or 0, wanted.stop if wanted.stop is not None else len(self)
        out: list[dict] = []
        for path, count, status in self.parts:
            if stop <= 0:
                break
            if start < count and path.exists():
                with path.open() as f:
                    for line in islice(f, start, min(stop, count)):
                        out.append({**json.loads(line), "status": status})
            start, stop = max(start - count, 0), stop - count
        return out
