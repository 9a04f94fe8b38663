"""`ganxun purge-files [--days 1] [--dry-run]`

For operators (a daily cron job): delete uploaded rosters and job results (error reports,
exported files, issued initial passwords) older than the given number of days, so personal
data does not stay in the data folder after the work is done (等保 剩余信息保护).
"""

from ganxun.core.commands import ScopedCommand
from ganxun.core.retention import purge_work_files


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "删除超过指定天数的导入文件和任务结果文件（含个人信息）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1, help="保留天数（默认 1）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, **options):
        days = max(1, options["days"])
        gone = purge_work_files(older_than_days=days, dry_run=options["dry_run"])
        verb = "将删除" if options["dry_run"] else "已删除"
        for folder in gone:
            self.stdout.write(f"{verb} {folder}")
        self.stdout.write(f"{verb} {len(gone)} 个文件夹（{days} 天前）。")
