"""`ganxun cluster-needs FILE [--k N] [--json]`: cluster need statements, one per line."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.needs.clustering import cluster_needs
from ganxun.needs.curation import taxonomy_from_db
from ganxun.needs.taxonomy import load_taxonomy
from ganxun.needs.text import SKIP_REASONS


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = (
        "把需求表述（UTF-8 文本，每行一条）归集为共性需求。"
        '--json 输出 {"clusters": [{"label": ..., "members": [从 0 起的行号]}], "skipped": [...]}；'
        "不给 --k 时自动确定类别数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="文本文件，每行一条需求表述；“-”表示标准输入")
        parser.add_argument("--k", type=int, default=None, help="类别数（不给则自动确定）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--taxonomy",
            default=None,
            help="需求主题文件（JSON）；默认用数据库中管理员维护的主题，库中没有则用随附文件",
        )

    def handle(self, *args, **options):
        lines = _read_lines(options["file"])
        k = options["k"]
        if k is not None and k < 1:
            raise CommandError(_("--k 须为正整数。"))
        started = time.perf_counter()
        result = cluster_needs(lines, _taxonomy(options["taxonomy"]), k=k)
        elapsed = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self._print(result, len(lines), elapsed)

    def _print(self, result, total: int, elapsed: float) -> None:
        kept = sum(len(c.members) for c in result.clusters)
        self.stdout.write(
            f"{total} 行，{kept} 条参与归集，分为 {len(result.clusters)} 类（{elapsed:.1f} 秒）"
        )
        for rank, cluster in enumerate(result.clusters, start=1):
            self.stdout.write(f"{rank:>3}. {cluster.label}  {len(cluster.members)} 条")
        if result.skipped:
            self.stdout.write("未参与归集：")
            for line, reason in result.skipped[:50]:
                self.stdout.write(f"  第 {line + 1} 行：{SKIP_REASONS.get(reason, reason)}")


def _read_lines(path: str) -> list[str]:
    """Lines as the user counts them: only a line feed ends a line; a final one adds none."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(
            _("无法读取文件 %(path)s：%(strerror)s") % {"path": path, "strerror": exc.strerror}
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("文件不是 UTF-8 编码（第 %(start)s 字节处），请另存为 UTF-8 后再试。")
            % {"start": exc.start}
        ) from None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _taxonomy(path: str | None):
    if path:
        try:
            return load_taxonomy(path)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(_("需求主题文件无法读取：%(exc)s") % {"exc": exc}) from None

    try:
        return taxonomy_from_db()
    except DatabaseError:
        # A fresh install without a migrated database still clusters, with the shipped topics.
        return load_taxonomy()
