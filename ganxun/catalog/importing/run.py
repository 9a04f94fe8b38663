"""Importing courses or faculty from Excel: upload → preview job → (user commits) → commit job.

The same flow as the roster import, on its pieces: the file is stored and sniffed by
``orgs.roster.jobs.save_upload``, read by ``orgs.roster.reading.open_tables``, its header found by
``core.spreadsheets.find_header``; refused rows go to a ``core.spreadsheets.ErrorReport``. Each
job re-checks the actor's rights and re-plans against the database as it is when it runs. A
committed row is written by the same service as the form (one transaction, audited), so a row
either is saved whole or not at all.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import policies
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.importing.sheets import SHEETS, Sheet
from ganxun.core.errors import PermissionDenied
from ganxun.core.jobs import job_handler, job_result_path, job_start
from ganxun.core.models import Job
from ganxun.core.spreadsheets import ErrorReport, SpreadsheetError, find_header
from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.parsing import text
from ganxun.orgs.roster.reading import open_tables

PREVIEW, COMMIT = "catalog_import_preview", "catalog_import_commit"
KINDS = (PREVIEW, COMMIT)
NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
STATUSES = (ERROR, NEW, UPDATE, UNCHANGED)
STATUS_LABELS = {
    ERROR: gettext_lazy("有错误"),
    NEW: gettext_lazy("新增"),
    UPDATE: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("未变"),
}
MAX_ROWS = 5000
ERROR_REPORT = "错误报告.xlsx"
TITLES = {"courses": gettext_lazy("课程"), "lecturers": gettext_lazy("师资")}


@dataclass
class RowPlan:
    row: int
    cells: list
    label: str
    existing: object = None
    data: object = None
    status: str = NEW
    errors: list[tuple[str, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self) -> dict:
        out = {"row": self.row, "status": self.status, "label": self.label}
        if self.errors:
            out["errors"] = [list(e) for e in self.errors]
        if self.changes:
            out["changes"] = [list(c) for c in self.changes]
        return out


def import_start(*, actor, what: str, path: Path, filename: str) -> Job:
    _authorise(actor, what)
    params = {"what": what, "file": str(path), "filename": filename}
    return job_start(
        actor=actor, kind=PREVIEW, title=f"检查{TITLES[what]}表：{filename}", params=params
    )


def commit_start(*, actor, preview: Job) -> Job:
    _authorise(actor, preview.params.get("what", ""))
    params = {**preview.params, "preview": str(preview.pk)}
    title = f"导入{TITLES[params['what']]}：{params['filename']}"
    return job_start(actor=actor, kind=COMMIT, title=title, params=params)


def _authorise(actor, what: str) -> None:
    if what not in SHEETS or not policies.can_edit_catalog(actor) or actor.org is None:
        raise PermissionDenied()


@job_handler(PREVIEW)
def run_preview(job: Job, progress) -> dict:
    return _run(job, progress, commit=False)


@job_handler(COMMIT)
def run_commit(job: Job, progress) -> dict:
    return _run(job, progress, commit=True)


def _run(job: Job, progress, *, commit: bool) -> dict:
    what = job.params["what"]
    _authorise(job.actor, what)
    result = run_sheet(
        job.actor,
        what,
        Path(job.params["file"]),
        commit=commit,
        progress=progress,
        report_path=job_result_path(job, ERROR_REPORT),
    )
    if result["counts"][ERROR]:
        job.result_file = str(job_result_path(job, ERROR_REPORT))
    c = result["counts"]
    job.message = _(
        "%(done)s：共 %(rows)s 行，新增 %(new)s，"
        "更新 %(updated)s，未变 %(unchanged)s，有错误 %(errors)s"
    ) % {
        "done": _("已导入") if commit else _("检查完毕"),
        "rows": result["rows"],
        "new": c[NEW],
        "updated": c[UPDATE],
        "unchanged": c[UNCHANGED],
        "errors": c[ERROR],
    }
    return result


def run_sheet(actor, what: str, path: Path, *, commit: bool, progress=None, report_path=None):
    """Plan every row (and write the valid ones when committing); the result the pages show."""
    sheet = SHEETS[what](actor)
    table, header, rows = _open(path, sheet)
    if progress is not None:
        progress.start(table.total, _("正在导入…") if commit else _("正在检查…"))
    plans, seen, report = [], {}, None
    for number, cells in rows:
        if not any(text(c) for c in cells):
            continue
        if len(plans) >= MAX_ROWS:
            raise SpreadsheetError(
                "too_many_rows",
                _("一次最多导入 %(MAX_ROWS)s 行，请拆分文件后分批导入。") % {"MAX_ROWS": MAX_ROWS},
            )
        plan = _plan(sheet, header, number, cells, seen)
        if commit and plan.status in (NEW, UPDATE):
            _write(sheet, header, plan)
        if plan.status == ERROR and report_path is not None:
            report = report or ErrorReport(report_path, header.labels)
            report.add(
                number, cells, [f"【{col}】{msg}" if col else msg for col, msg in plan.errors]
            )
        plans.append(plan)
        if progress is not None:
            progress.advance(number)
    if report is not None:
        report.close()
    counts = dict.fromkeys(STATUSES, 0)
    for plan in plans:
        counts[plan.status] += 1
    return {
        "what": what,
        "sheet": header.sheet,
        "header_row": header.row,
        "columns": [column.label for column in header.columns.values()],
        "rows": len(plans),
        "counts": counts,
        "records": [p.record() for p in plans],
        "committed": commit,
    }


def _open(path: Path, sheet: Sheet):
    """The first visible sheet with a recognisable header (offices keep notes on others)."""
    first_error = None
    for table in open_tables(path):
        try:
            header, rows = find_header(table, sheet.columns, sheet.required)
        except SpreadsheetError as exc:
            first_error = first_error or exc
            continue
        return table, header, rows
    raise first_error or RosterFileError("empty_sheet", _("文件中没有可导入的工作表。"))


def _plan(sheet: Sheet, header, number: int, cells: list, seen: dict) -> RowPlan:
    values, errors = sheet.parse(header, cells)
    key = sheet.key(values)
    label = key if isinstance(key, str) else "".join(k for k in key[:1])
    plan = RowPlan(row=number, cells=cells, label=label or _("（空）"))
    plan.errors = [(sheet.label(header, f), msg) for f, msg in errors]
    if label and key in seen:
        plan.errors.append(
            (
                sheet.label(header, sheet.required[0]),
                _("与第 %(row)s 行重复，请合并或删除一行") % {"row": seen[key]},
            )
        )
    elif label:
        seen[key] = number
    plan.existing = sheet.existing.get(key)
    plan.data = sheet.build(plan.existing, values)
    if not plan.errors:
        try:
            plan.data = sheet.validate(plan.data)
        except CatalogError as exc:
            plan.errors.append((_column(sheet, header, exc.field), exc.message))
    if plan.errors:
        plan.status = ERROR
    elif plan.existing is not None:
        plan.changes = sheet.changes(header, plan.existing, plan.data)
        plan.status = UPDATE if plan.changes else UNCHANGED
    return plan


def _write(sheet: Sheet, header, plan: RowPlan) -> None:
    """One service call per row; a refusal now (the database moved since the preview) turns the
    row into an error instead of stopping the import."""
    try:
        sheet.save(plan.existing, plan.data)
    except CatalogError as exc:
        plan.status = ERROR
        plan.errors.append((_column(sheet, header, exc.field), exc.message))


def _column(sheet: Sheet, header, field_name: str | None) -> str:
    return sheet.label(header, field_name) if field_name in sheet.columns else ""
