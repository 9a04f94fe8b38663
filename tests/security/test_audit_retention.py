"""The audit log: kept at least 180 days, purged only by date and with the guard, exportable."""

import io
from contextlib import contextmanager
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.audit import audit_record
from ganxun.core.models import AuditEntry
from ganxun.core.retention import audit_purge, earliest_purgeable_cutoff
from tests.factories import make_user


def entry_aged(days: int, repr_: str) -> AuditEntry:
    entry = audit_record(
        actor=None, action="update", object_type="t", object_id="1", object_repr=repr_
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=days), entry.pk],
        )
    return entry


@contextmanager
def guarded(settings):
    """The database guard as in production: nothing may delete audit rows."""
    settings.GANXUN_AUDIT_PURGE_ALLOWED = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET ganxun.audit_purge = 'off'")
    try:
        yield
    finally:
        settings.GANXUN_AUDIT_PURGE_ALLOWED = True
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET ganxun.audit_purge = 'on'")


def test_a_purge_inside_the_retention_is_refused(db, settings):
    settings.GANXUN_AUDIT_RETENTION_DAYS = 30  # configured lower than the floor: 180 applies
    entry_aged(100, "百日前")
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("purge-audit", "--before", f"{timezone.localdate() - timedelta(days=100)}")
    assert AuditEntry.objects.filter(object_repr="百日前").exists()


def test_the_purge_deletes_only_older_entries_despite_the_guard_and_records_itself(db, settings):
    entry_aged(400, "一年多前")
    entry_aged(200, "半年多前")
    with guarded(settings):
        _purge_a_year_back()
    names = set(AuditEntry.objects.values_list("object_repr", flat=True))
    assert "一年多前" not in names and "半年多前" in names
    assert AuditEntry.objects.filter(object_type="core.auditentry", action="delete").exists()


def _purge_a_year_back():
    # the database refuses a plain delete
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    # the purge, for a date a year back, removes the old entry only
    cutoff = timezone.now() - timedelta(days=365)
    assert audit_purge(before=cutoff, dry_run=True) == 1
    assert audit_purge(before=cutoff) == 1
    # and the guard is back afterwards
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")


def test_the_earliest_cutoff_is_180_days_back(db):
    now = timezone.now()
    assert now - earliest_purgeable_cutoff(now) == timedelta(days=180)


def test_admins_export_the_filtered_log_stamped_and_audited(client, admin):
    audit_record(actor=admin, action="update", object_type="t", object_id="9", object_repr="甲")
    client.force_login(admin)
    response = client.get("/audit/export.xlsx", {"action": "update"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["审计日志"].values)
    assert rows[0][0] == "时间" and any(r[7] == "甲" for r in rows[1:])
    assert "导出人：admin" in book["导出信息"]["A1"].value
    assert "导出人：admin" in book["审计日志"].oddHeader.left.text
    assert AuditEntry.objects.filter(actor=admin, action="export", object_type="core.auditentry")


def test_others_cannot_export_the_log(client, city):
    organizer = make_user(city.city, Role.ORGANIZER)
    client.force_login(organizer)
    assert client.get("/audit/export.xlsx").status_code == 403


def test_old_uploads_and_job_results_are_removed_and_recent_ones_kept(settings, tmp_path):
    import os
    import time

    settings.DATA_DIR = tmp_path
    old = tmp_path / "imports" / "old"
    new = tmp_path / "jobs" / "new"
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "upload.xlsx").write_bytes(b"roster")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(old / "upload.xlsx", (ten_days_ago, ten_days_ago))
    call_command("purge-files", "--days", "7")
    assert not old.exists() and new.exists()
