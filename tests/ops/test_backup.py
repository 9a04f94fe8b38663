"""`ganxun backup` / `ganxun restore`: the demo city survives a round trip table by table, a
corrupted archive is refused before anything is touched, and a database with data is not
overwritten by accident. Runs on SQLite and on PostgreSQL (pg_dump/pg_restore)."""

import hashlib
import shutil
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ganxun.ops.backup import database_has_data

pytestmark = pytest.mark.django_db(transaction=True)


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Every table: its row count and the SHA-256 of its rows, sorted."""
    prints = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            prints[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return prints


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "materials").mkdir(parents=True)
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_backup(media, tmp_path):
    """Given the demo city (reduced to 900 cadres) and one uploaded file, when it is backed up:
    the archive path and the tables' fingerprints at that moment."""
    call_command("demo", cadres=900, seed=7, stdout=StringIO())
    (media / "materials" / "讲义.pdf").write_bytes(b"%PDF-1.4 demo lecture notes")
    before = table_fingerprints()
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=StringIO())
    return archive, before


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)


def test_restore_onto_an_empty_instance_brings_back_every_table_and_file(demo_backup, media):
    archive, before = demo_backup
    assert before["orgs_cadre"][0] == 900 and before["core_auditentry"][0] > 0
    # given the instance is emptied (database and uploads)
    wipe(media)
    assert not database_has_data()
    # when the archive is restored
    out = StringIO()
    call_command("restore", archive, stdout=out)
    # then every table has the same rows as when it was backed up, and the upload is back
    assert "已恢复" in out.getvalue()
    assert table_fingerprints() == before
    assert (media / "materials" / "讲义.pdf").read_bytes() == b"%PDF-1.4 demo lecture notes"
    # and the archive says what it holds: checksums per part, vendor, migration state
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = tar.extractfile("manifest.json").read().decode()
    assert names[0] == "manifest.json" and "media.tar.gz" in names
    assert "sha256" in manifest and '"core"' in manifest and connection.vendor in manifest
    # and restoring again over the now non-empty database is refused
    with pytest.raises(CommandError, match="已有用户数据"):
        call_command("restore", archive)


def test_a_corrupted_archive_is_refused_and_nothing_changes(demo_backup, tmp_path):
    archive, before = demo_backup
    # given one byte of the database part flipped (the manifest left as it was)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    part = next(p for p in unpacked.iterdir() if p.name.startswith("database"))
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    broken = tmp_path / "broken.tar"
    with tarfile.open(broken, "w") as tar:
        for item in sorted(unpacked.iterdir()):
            tar.add(item, arcname=item.name)
    # when it is restored, even with --force
    with pytest.raises(CommandError, match="校验和与清单不符"):
        call_command("restore", broken, force=True)
    # then the database is untouched
    assert table_fingerprints() == before


def test_a_truncated_file_is_refused_with_a_clear_message(tmp_path, db):
    broken = tmp_path / "cut.tar"
    broken.write_bytes(b"not a tar archive at all")
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("restore", broken)
