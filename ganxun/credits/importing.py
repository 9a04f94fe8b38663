"""External learning records (干部网络学院 exports): upload → preview job → commit job.

The roster's pieces: the upload is stored and sniffed by ``orgs.roster.jobs.save_upload``, read
by ``orgs.roster.reading.open_tables`` (.xlsx/.xls/.csv), its header found by
``core.spreadsheets.find_header``; refused rows go to a ``core.spreadsheets.ErrorReport``.
Cadres are found through ``orgs.lookup`` (how ID numbers are stored is decided there), only
within the importer's subtree. Idempotent on (platform, record id): the database's unique key
on ExternalRecord and the ledger's reference key make a second import of the same file add
nothing, even when two imports race.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.jobs import job_handler, job_result_path, job_start
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.core.spreadsheets import ErrorReport, SpreadsheetError, find_header
from ganxun.credits import ledger, policies
from ganxun.credits.errors import CreditError
from ganxun.credits.models import Channel, CreditEntry, ExternalRecord
from ganxun.credits.services import clean_hours
from ganxun.orgs.errors import OrgError
from ganxun.orgs.lookup import cadres_by_id_numbers
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster.errors import CellError, RosterFileError
from ganxun.orgs.roster.parsing import id_number, text
from ganxun.orgs.roster.reading import open_tables

PREVIEW, COMMIT = "learning_preview", "learning_commit"
KINDS = (PREVIEW, COMMIT)
NEW, UNCHANGED, ERROR = "new", "unchanged", "error"
STATUSES = (ERROR, NEW, UNCHANGED)
STATUS_LABELS = {
    ERROR: gettext_lazy("有错误"),
    NEW: gettext_lazy("新增"),
    UNCHANGED: gettext_lazy("已导入过（跳过）"),
}
MAX_ROWS = 200_000
KEEP_RECORDS = 2000  # rows kept for the preview page; the error report holds every error
ERROR_REPORT = "错误报告.xlsx"
BATCH = 2000
MAX_A_DAY = Decimal(24)
EXCEL_EPOCH = date(1899, 12, 30)
COLUMNS = {
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    "name": ("姓名", "学员姓名", "学员"),
    "course": ("课程名称", "课程", "课程名", "学习内容"),
    "hours": ("学时", "获得学时", "学时数", "完成学时", "学分"),
    "completed_on": ("完成日期", "完成时间", "学完时间", "结业日期", "日期"),
    "record_id": ("记录号", "记录编号", "学习记录号", "记录ID", "学习记录ID", "流水号"),
}
REQUIRED = ("id_number", "course", "hours", "completed_on", "record_id")
_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass
class Row:
    row: int
    cells: list
    record_id: str = ""
    id_number: str = ""
    name: str = ""
    course: str = ""
    hours: Decimal | None = None
    day: date | None = None
    cadre_id: int | None = None
    status: str = NEW
    errors: list[tuple[str, str]] = field(default_factory=list)

    def record(self) -> dict:
        out = {"row": self.row, "status": self.status, "label": self.record_id or _("（空）")}
        out["detail"] = f"{self.name} {self.course} {self.hours or ''}".strip()
        if self.errors:
            out["errors"] = [list(e) for e in self.errors]
        return out


def import_start(*, actor, path: Path, filename: str, platform: str) -> Job:
    _authorise(actor)
    platform = text(platform)[:50]
    if not platform:
        raise CreditError("no_platform", _("请填写平台名称。"), field="platform")
    params = {"file": str(path), "filename": filename, "platform": platform}
    return job_start(actor=actor, kind=PREVIEW, title=f"检查学习记录：{filename}", params=params)


def commit_start(*, actor, preview: Job) -> Job:
    _authorise(actor)
    params = {**preview.params, "preview": str(preview.pk)}
    return job_start(
        actor=actor, kind=COMMIT, title=f"导入学习记录：{params['filename']}", params=params
    )


def _authorise(actor) -> None:
    if not policies.can_record_credits(actor) or actor.org is None:
        raise PermissionDenied()


@job_handler(PREVIEW)
def run_preview(job: Job, progress) -> dict:
    return _run(job, progress, commit=False)


@job_handler(COMMIT)
def run_commit(job: Job, progress) -> dict:
    return _run(job, progress, commit=True)


def _run(job: Job, progress, *, commit: bool) -> dict:
    _authorise(job.actor)
    report_path = job_result_path(job, ERROR_REPORT)
    result = run_file(
        job.actor,
        Path(job.params["file"]),
        platform=job.params["platform"],
        commit=commit,
        progress=progress,
        report_path=report_path,
        job_id=str(job.pk),
    )
    c = result["counts"]
    if c[ERROR]:
        job.result_file = str(report_path)
    job.message = (
        f"{'已导入' if commit else '检查完毕'}：共 {result['rows']} 行，新增 {c[NEW]}，"
        f"已导入过 {c[UNCHANGED]}，有错误 {c[ERROR]}"
    )
    return result


def run_file(actor, path: Path, *, platform: str, commit: bool, progress=None, report_path=None,
             job_id: str = "") -> dict:  # fmt: skip
    """Check every row (and write the valid new ones when committing)."""
    table, header, rows = _open(path)
    if progress is not None:
        progress.start(table.total, "正在导入…" if commit else "正在检查…")
    parsed: list[Row] = []
    for number, cells in rows:
        if not any(text(c) for c in cells):
            continue
        if len(parsed) >= MAX_ROWS:
            raise SpreadsheetError(
                "too_many_rows",
                _("一次最多导入 %(max)s 行，请拆分文件后分批导入。") % {"max": MAX_ROWS},
            )
        parsed.append(_parse(header, number, cells))
    labels = {f: header.columns[f].label if f in header.columns else COLUMNS[f][0] for f in COLUMNS}
    _check_duplicates(parsed, labels)
    _match(actor, parsed, platform, labels)
    _check_daily_hours(parsed, labels)
    for row in parsed:
        if row.errors:
            row.status = ERROR
    written = _write(actor, parsed, platform, job_id, progress) if commit else 0
    _error_report(parsed, header, report_path)
    counts = dict.fromkeys(STATUSES, 0)
    for row in parsed:
        counts[row.status] += 1
    shown = sorted(parsed, key=lambda r: (STATUSES.index(r.status), r.row))[:KEEP_RECORDS]
    return {
        "platform": platform,
        "sheet": header.sheet,
        "header_row": header.row,
        "columns": [column.label for column in header.columns.values()],
        "rows": len(parsed),
        "counts": counts,
        "written": written,
        "records": [r.record() for r in shown],
        "committed": commit,
    }


def _open(path: Path):
    first_error = None
    for table in open_tables(path):
        try:
            header, rows = find_header(table, COLUMNS, REQUIRED)
        except SpreadsheetError as exc:
            first_error = first_error or exc
            continue
        return table, header, rows
    raise first_error or RosterFileError("empty_sheet", _("文件中没有可导入的工作表。"))


def _parse(header, number: int, cells: list) -> Row:
    row = Row(row=number, cells=cells)
    label = {f: c.label for f, c in header.columns.items()}
    row.record_id = text(header.cell(cells, "record_id"))[:64]
    row.name = text(header.cell(cells, "name"))[:50]
    row.course = text(header.cell(cells, "course"))[:200]
    if not row.record_id:
        row.errors.append((label["record_id"], _("记录号不能为空")))
    if not row.course:
        row.errors.append((label["course"], _("课程名称不能为空")))
    try:
        row.id_number = id_number(header.cell(cells, "id_number")).value
    except (CellError, OrgError) as exc:
        row.errors.append((label["id_number"], getattr(exc, "message", str(exc))))
    try:
        row.hours = clean_hours(_number_text(header.cell(cells, "hours")))
    except CreditError as exc:
        row.errors.append((label["hours"], exc.message))
    try:
        row.day = parse_day(header.cell(cells, "completed_on"))
    except ValueError as exc:
        row.errors.append((label["completed_on"], str(exc)))
    return row


def _number_text(value) -> str:
    return str(value) if isinstance(value, int | float) else text(value)


def parse_day(value) -> date:
    """完成日期 as platforms export it: a date cell, an Excel serial, 2025-03-14, 2025/3/14,
    2025.03.14, 2025年3月14日, 20250314, with or without a time."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 20_000 < value < 80_000:
        day = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        raw = text(value)
        if not raw:
            raise ValueError(_("完成日期不能为空"))
        match = _DATE.match(raw) or _COMPACT.match(raw)
        if not match:
            raise ValueError(_("“%(raw)s”不是日期，请写成 2025-03-14 的形式") % {"raw": raw})
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(_("“%(raw)s”不是有效的日期") % {"raw": raw}) from None
    if day > timezone.localdate():
        raise ValueError(_("完成日期晚于今天"))
    return day


def _check_duplicates(rows: list[Row], labels: dict) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if not row.record_id:
            continue
        if row.record_id in seen:
            row.errors.append(
                (
                    labels["record_id"],
                    _("记录号与第 %(row)s 行重复（同一记录只计一次）")
                    % {"row": seen[row.record_id]},
                )
            )
        else:
            seen[row.record_id] = row.row


def _match(actor, rows: list[Row], platform: str, labels: dict) -> None:
    """Cadres by ID number within the actor's subtree; records already imported are skipped
    when they agree and refused when they differ."""
    scope = Cadre.objects.visible_to(actor)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        found = cadres_by_id_numbers(scope, {r.id_number for r in batch if r.id_number})
        # Only "already imported" is said of a record found, nothing of its cadre.
        # scope: a platform's record id is unique across the city, whichever county imported it
        with unscoped():
            known = {
                e.record_id: e
                for e in ExternalRecord.objects.filter(
                    platform=platform, record_id__in=[r.record_id for r in batch if r.record_id]
                )
            }
        for row in batch:
            if row.id_number:
                cadre = found.get(row.id_number)
                if cadre is None:
                    row.errors.append(
                        (labels["id_number"], _("系统中没有该身份证号的干部，或不在您的管理范围内"))
                    )
                else:
                    row.cadre_id = cadre.pk
            old = known.get(row.record_id)
            if old is not None and not row.errors:
                same = old.cadre_id == row.cadre_id and old.hours == row.hours
                if same:
                    row.status = UNCHANGED
                else:
                    row.errors.append(
                        (labels["record_id"], _("该记录号已导入过，但干部或学时与已导入的不同"))
                    )


def _check_daily_hours(rows: list[Row], labels: dict) -> None:
    """More than 24 学时 for one cadre on one day cannot be true."""
    per_day: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.errors or row.status != NEW:
            continue
        key = (row.cadre_id, row.day)
        per_day[key] += row.hours
        if per_day[key] > MAX_A_DAY:
            row.errors.append(
                (labels["hours"], _("该干部 %(day)s 当天合计超过 24 学时") % {"day": row.day})
            )
            per_day[key] -= row.hours


def _write(actor, rows: list[Row], platform: str, job_id: str, progress) -> int:
    """Each batch in its own transaction: the records (ON CONFLICT DO NOTHING on the platform's
    record id), then one ledger entry for each record this job wrote."""
    new = [r for r in rows if r.status == NEW]
    written = 0
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        # scope: writes, then reads back only the records this import job wrote (its job id)
        with transaction.atomic(), unscoped():
            ExternalRecord.objects.bulk_create(
                [
                    ExternalRecord(
                        platform=platform,
                        record_id=r.record_id,
                        cadre_id=r.cadre_id,
                        course=r.course,
                        hours=r.hours,
                        completed_on=r.day,
                        imported_by=actor,
                        import_job=job_id,
                    )
                    for r in batch
                ],
                ignore_conflicts=True,
            )
            mine = ExternalRecord.objects.filter(
                platform=platform, record_id__in=[r.record_id for r in batch], import_job=job_id
            )
            entries = [
                CreditEntry(
                    cadre_id=e.cadre_id,
                    day=e.completed_on,
                    hours=e.hours,
                    channel=Channel.ONLINE,
                    title=e.course,
                    source=f"ext:{e.pk}",
                    ref_key=f"ext:{e.pk}/1",
                    reason=f"{platform} 记录 {e.record_id}"[:300],
                    recorded_by=actor,
                )
                for e in mine
            ]
            ledger.write(entries)
            written += len(entries)
        if progress is not None:
            progress.advance(start + len(batch))
    if written:
        audit_record(
            actor=actor,
            action="create",
            object_type="credits.externalrecord",
            object_id=job_id or "cli",
            object_repr=f"导入{platform}学习记录 {written} 条",
        )
    return written


def _error_report(rows: list[Row], header, report_path) -> None:
    errors = [r for r in rows if r.status == ERROR]
    if not errors or report_path is None:
        return
    report = ErrorReport(report_path, header.labels)
    for row in errors:
        report.add(row.row, row.cells, [f"【{c}】{m}" if c else m for c, m in row.errors])
    report.close()
