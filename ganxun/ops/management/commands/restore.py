"""`ganxun restore PATH [--force]`: checks every checksum, then restores onto an empty instance."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ganxun.core.commands import ScopedCommand
from ganxun.ops.backup import BackupError, backup_restore, describe


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "从 ganxun backup 生成的文件恢复数据库和上传的文件（先校验，再恢复）"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="当前数据库已有数据时也覆盖（慎用）"
        )

    def handle(self, *args, path, force=False, **options):
        try:
            manifest = backup_restore(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复：{describe(manifest)}")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("备份早于当前版本，正在执行数据库迁移……")
            call_command("migrate", interactive=False, verbosity=0)
