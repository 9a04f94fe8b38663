"""`ganxun purge-audit --before YYYY-MM-DD [--dry-run] [--json]`

For operators (a yearly cron job, say): delete audit entries older than the given date. Refuses
any date inside the retention (settings.GANXUN_AUDIT_RETENTION_DAYS, at least 180 days).
"""

import json
from datetime import date, datetime, time

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.core.context import RequestInfo, request_info
from ganxun.core.retention import RetentionError, audit_purge, retention_days


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "清理早于指定日期的审计日志（不能早于保留期，至少180天）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="清理此日期（YYYY-MM-DD）之前的记录")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["before"])
        except ValueError:
            raise CommandError(_("--before 应为 YYYY-MM-DD 格式的日期。")) from None
        before = timezone.make_aware(datetime.combine(day, time.min))
        try:
            with request_info(RequestInfo(ip=None, channel="cli")):
                count = audit_purge(before=before, dry_run=options["dry_run"])
        except RetentionError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            result = {"before": day.isoformat(), "dry_run": options["dry_run"], "count": count}
            self.stdout.write(json.dumps({**result, "retention_days": retention_days()}))
        else:
            verb = "将清理" if options["dry_run"] else "已清理"
            self.stdout.write(f"{verb} {day} 之前的审计日志 {count} 条。")
