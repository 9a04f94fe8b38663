"""Keeping the audit log: purge only what is older than the retention, export to Excel.

等保 2.0 (安全审计) asks for audit records kept at least six months; the platform keeps them
``settings.GANXUN_AUDIT_RETENTION_DAYS`` days (180 at least, whatever is configured). The log is
append-only in the database itself (core migration 0002): a purge lifts the guard for its own
transaction only — ``SET LOCAL ganxun.audit_purge = on`` on PostgreSQL, the connection function
``ganxun_audit_locked()`` answering 0 on SQLite — deletes in batches, and records itself.
"""

import io
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.apps import audit_locked
from ganxun.core.audit import audit_record
from ganxun.core.errors import DomainError
from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.core.models import AuditEntry

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

MIN_RETENTION_DAYS = 180
BATCH = 5000
EXPORT_LIMIT = 200_000  # rows per file; narrow the filter for more


class RetentionError(DomainError):
    pass


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(settings.GANXUN_AUDIT_RETENTION_DAYS))


def earliest_purgeable_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=retention_days())


@contextmanager
def _guard_lifted():
    """Inside a transaction: this connection may delete audit rows until it commits."""
    if connection.vendor == "postgresql":
        # SET LOCAL lasts to the end of the outermost transaction: put the previous value back
        # so a caller's surrounding transaction does not go on with the guard lifted
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(current_setting('ganxun.audit_purge', true), '')")
            before = cursor.fetchone()[0]
            cursor.execute("SET LOCAL ganxun.audit_purge = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ganxun.audit_purge', %s, true)", [before])
        return
    raw = connection.connection
    raw.create_function("ganxun_audit_locked", 0, lambda: 0)
    try:
        yield
    finally:
        # back to the setting read at each call (a constant here froze the lock on this
        # connection for good when a purge ran while the setting said "locked")
        raw.create_function("ganxun_audit_locked", 0, audit_locked)


def audit_purge(*, before: datetime, dry_run: bool = False) -> int:
    """Delete audit entries older than ``before``; refuses a cutoff inside the retention."""
    limit = earliest_purgeable_cutoff()
    if before > limit:
        raise RetentionError(
            "within_retention",
            _("审计日志至少保留 %(retention_days)s 天：只能清理 %(localtime)s 之前的记录。")
            % {
                "retention_days": retention_days(),
                "localtime": f"{timezone.localtime(limit):%Y-%m-%d}",
            },
        )
    old = AuditEntry.objects.filter(at__lt=before)
    if dry_run:
        return old.count()
    deleted = 0
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    while True:
        with transaction.atomic():
            connection.ensure_connection()
            ids = list(old.order_by("id").values_list("id", flat=True)[:BATCH])
            if not ids:
                break
            with _guard_lifted(), connection.cursor() as cursor:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", ids)
            deleted += len(ids)
    audit_record(
        actor=None,
        action="delete",
        object_type="core.auditentry",
        object_id="-",
        object_repr=f"清理 {before:%Y-%m-%d} 之前的审计日志 {deleted} 条",
        changes={"purged": [None, deleted], "before": [None, before.isoformat()]},
    )
    return deleted


AUDIT_HEADERS = [
    "时间",
    "操作人",
    "来源地址",
    "渠道",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "变更",
]
_WIDTHS = [18, 14, 16, 6, 12, 22, 12, 30, 80]


def audit_xlsx(actor: "User", entries, *, what: str) -> tuple[bytes, int]:
    """The filtered log as a workbook (streamed, constant memory); (content, rows written)."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, constant_memory=True, in_memory=True)
    sheet = book.add_worksheet("审计日志")
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, (title, width) in enumerate(zip(AUDIT_HEADERS, _WIDTHS, strict=True)):
        sheet.write_string(0, col, title, bold)
        sheet.set_column(col, col, width)
    actions = dict(AuditEntry.Action.choices)
    rows = 0
    for rows, e in enumerate(entries[:EXPORT_LIMIT].iterator(chunk_size=2000), start=1):
        sheet.write_row(
            rows,
            0,
            [
                f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}",
                e.actor_name,
                e.ip or "",
                e.channel,
                str(actions.get(e.action, e.action)),
                e.object_type,
                e.object_id,
                e.object_repr,
                _changes_text(e.changes),
            ],
        )
    note = f"共 {rows} 条" + (
        "（已达单个文件上限，请缩小筛选范围）" if rows >= EXPORT_LIMIT else ""
    )
    stamp_workbook(book, actor, what=what, note=note)
    book.close()
    return buffer.getvalue(), rows


def _changes_text(changes: dict) -> str:
    if not changes:
        return ""
    return "；".join(
        f"{k}: {v[0]!s} → {v[1]!s}" if isinstance(v, list) and len(v) == 2 else f"{k}: {v}"
        for k, v in changes.items()
    )[:32000]


# --- 剩余信息保护: uploaded rosters and job results do not stay on disk ------------------------

WORK_FOLDERS = ("imports", "jobs")  # uploaded files (imports/<uuid>/) and results (jobs/<id>/)


def purge_work_files(*, older_than_days: int, dry_run: bool = False) -> list[Path]:
    """Remove upload and job-result folders not touched for ``older_than_days`` days: rosters
    with ID numbers, error reports, issued initial passwords. Returns what was (or would be)
    removed."""
    cutoff = time.time() - older_than_days * 86400
    gone = []
    for name in WORK_FOLDERS:
        root = Path(settings.DATA_DIR) / name
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and _newest_mtime(folder) < cutoff:
                gone.append(folder)
                if not dry_run:
                    shutil.rmtree(folder, ignore_errors=True)
    return gone


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*")), default=folder.stat().st_mtime)
