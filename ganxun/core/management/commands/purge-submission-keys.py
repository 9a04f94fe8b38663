"""`ganxun purge-submission-keys [--days N] [--dry-run]`

Delete form submission keys (core/idempotency.py) older than N days (default
``GANXUN_SUBMISSION_KEY_DAYS``, 1). The worker already does this every hour; the command is for
installations that run without a worker, or to purge at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from ganxun.core.idempotency import key_lifetime, purge_submission_keys


class Command(BaseCommand):
    help = "删除超过保留天数的表单提交记录（防重复提交用）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数（默认按设置，1 天）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, **options):
        days = options["days"]
        older_than = timedelta(days=max(1, days)) if days is not None else key_lifetime()
        count = purge_submission_keys(older_than=older_than, dry_run=options["dry_run"])
        verb = "将删除" if options["dry_run"] else "已删除"
        self.stdout.write(f"{verb} {count} 条表单提交记录（{older_than.days} 天前）。")
