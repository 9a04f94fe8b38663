"""Consistent, compressed, checksummed snapshots of the database and the uploaded files.

An archive is one uncompressed tar holding already-compressed parts and ``manifest.json``:

- ``database.sqlite3.gz`` — SQLite's online backup API copies a consistent image of the live
  file (readers and the writer go on meanwhile), then gzip; or ``database.pgdump`` — pg_dump in
  custom format (compressed, one REPEATABLE READ snapshot);
- ``media.tar.gz`` — everything under MEDIA_ROOT (materials, uploads);
- ``manifest.json`` — format, time, app version, database vendor, the applied migrations, and
  the size and SHA-256 of every part.

Restoring verifies every checksum before anything is touched, refuses a database that already
holds users (unless forced), replaces the database and the media folder, then migrates forward
when the backup is older than the code. The audit log's append-only triggers do not stand in the
way: SQLite's backup API copies pages and pg_restore drops and recreates tables and loads rows
with COPY (inserts), which the triggers allow.
"""

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "ganxun-backup/1"
MANIFEST = "manifest.json"
SQLITE_PART, PG_PART, MEDIA_PART = "database.sqlite3.gz", "database.pgdump", "media.tar.gz"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Snapshot:
    path: Path
    manifest: dict


# --- writing ---------------------------------------------------------------------------------


def default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"ganxun-{stamp}.tar"


def backup_create(output: Path | None = None) -> Snapshot:
    output = Path(output or default_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as tmp:
        work = Path(tmp)
        parts = [_dump_database(work), _pack_media(work)]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "app_version": app_version(),
            "vendor": connection.vendor,
            "migrations": applied_migrations(),
            "parts": {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)} for p in parts},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            for name in [MANIFEST, *(p.name for p in parts)]:
                tar.add(work / name, arcname=name)
        os.replace(partial, output)  # a crash mid-write never leaves a truncated archive
    return Snapshot(output, manifest)


def _dump_database(work: Path) -> Path:
    if connection.vendor == "sqlite":
        return _dump_sqlite(work)
    if connection.vendor == "postgresql":
        return _dump_postgres(work)
    raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})


def _dump_sqlite(work: Path) -> Path:
    image = work / "database.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(image)
    try:
        connection.connection.backup(target)  # a consistent copy while others keep writing
    finally:
        target.close()
    out = work / SQLITE_PART
    with image.open("rb") as src, gzip.open(out, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    image.unlink()
    return out


def _dump_postgres(work: Path) -> Path:
    out = work / PG_PART
    _run_pg("pg_dump", ["--format=custom", "--compress=6", "--no-owner", f"--file={out}"])
    return out


def _pack_media(work: Path) -> Path:
    out = work / MEDIA_PART
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        if media.is_dir():
            for item in sorted(media.rglob("*")):
                if item.is_file():
                    tar.add(item, arcname=str(item.relative_to(media)))
    return out


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def app_version() -> str:
    try:
        return version("ganxun")
    except PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --- reading and checking --------------------------------------------------------------------


def backup_verify(path: Path, into: Path) -> dict:
    """Unpack the archive into ``into`` and check every part against the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件 %(path)s。") % {"path": path})
    try:
        with tarfile.open(path, "r:") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            _("备份文件已损坏，无法读取（%(exc)s）；未做任何更改。") % {"exc": exc}
        ) from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("备份文件缺少可读的清单（manifest.json），已损坏；未做任何更改。")
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("不认识的备份格式：%(get)s；未做任何更改。") % {"get": f"{manifest.get('format')!r}"}
        )
    for name, part in manifest["parts"].items():
        file = into / name
        if not file.is_file():
            raise BackupError(_("备份文件已损坏：缺少 %(name)s；未做任何更改。") % {"name": name})
        if sha256_of(file) != part["sha256"]:
            raise BackupError(
                _(
                    "备份文件已损坏：%(name)s 的 SHA-256 校验和与清单不符；未做任何更改。请换用另"
                    "一份备份。"
                )
                % {"name": name}
            )
    return manifest


# --- restoring -------------------------------------------------------------------------------


def database_has_data() -> bool:
    tables = connection.introspection.table_names()
    if "accounts_user" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM accounts_user LIMIT 1")
        return cursor.fetchone() is not None


def backup_restore(path: Path, *, force: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="ganxun-restore-") as tmp:
        work = Path(tmp)
        manifest = backup_verify(path, work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                _(
                    "这份备份来自 %(vendor)s 数据库，当前实例用的是 %(vendor2)s；请恢复到同类数据"
                    "库。"
                )
                % {"vendor": manifest["vendor"], "vendor2": connection.vendor}
            )
        _refuse_newer(manifest)
        if database_has_data() and not force:
            raise BackupError(
                _("当前数据库已有用户数据，恢复会覆盖它们。请恢复到空实例，或确认后加 --force。")
            )
        if connection.vendor == "sqlite":
            _restore_sqlite(work / SQLITE_PART)
        else:
            _restore_postgres(work / PG_PART)
        _restore_media(work / MEDIA_PART)
    return manifest


def _refuse_newer(manifest: dict) -> None:
    """A backup made by newer code has tables this code does not know: refuse, upgrade first."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _(
                "这份备份来自更新的版本（%(app_version)s，含本版本没有的迁移 %(items)s）；请先升级"
                "程序再恢复。"
            )
            % {"app_version": manifest["app_version"], "items": ", ".join(unknown[:3])}
        )


def _restore_sqlite(part: Path) -> None:
    image = part.with_suffix("")
    with gzip.open(part, "rb") as src, image.open("wb") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
    source = sqlite3.connect(image)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)  # replaces every page, schema included
    finally:
        source.close()
    connection.close()  # the next query reopens the file as restored


def _restore_postgres(part: Path) -> None:
    for alias in connections:
        connections[alias].close()  # our own idle connection must not hold locks on the tables
    _run_pg(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            str(part),
        ],
        target="--dbname",
    )


def _restore_media(part: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    staged = media.with_name(media.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    with tarfile.open(part, "r:gz") as tar:
        tar.extractall(staged, filter="data")
    if media.exists():
        old = media.with_name(f"{media.name}.before-restore-{datetime.now():%Y%m%d%H%M%S}")
        media.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    staged.rename(media)


def _run_pg(program: str, args: list[str], *, target: str = "--dbname") -> None:
    if shutil.which(program) is None:
        raise BackupError(
            _("找不到 %(program)s：请安装 postgresql-client（与服务器同一大版本）。")
            % {"program": program}
        )
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    conn = [f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}"]
    if db.get("USER"):
        conn.append(f"--username={db['USER']}")
    command = [program, *conn, f"{target}={db['NAME']}", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 失败：%(value)s")
            % {"program": program, "value": result.stderr.strip()[-800:]}
        )


def describe(manifest: dict) -> str:
    sizes = ", ".join(f"{name} {p['bytes'] / 1e6:.1f} MB" for name, p in manifest["parts"].items())
    made, vendor, version_ = manifest["created_at"], manifest["vendor"], manifest["app_version"]
    return f"{made} · {vendor} · 版本 {version_} · {sizes}"
