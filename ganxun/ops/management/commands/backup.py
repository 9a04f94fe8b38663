"""`ganxun backup [--output PATH]`: a consistent, compressed, checksummed snapshot."""

from pathlib import Path

from django.core.management.base import CommandError

from ganxun.core.commands import ScopedCommand
from ganxun.ops.backup import BackupError, backup_create, describe


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "备份数据库和上传的文件：一个带清单和 SHA-256 校验和的 .tar 文件"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="备份文件路径（默认 DATA_DIR/backups/ganxun-时间.tar）"
        )

    def handle(self, *args, output=None, **options):
        try:
            snapshot = backup_create(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{snapshot.path}\n{describe(snapshot.manifest)}")
