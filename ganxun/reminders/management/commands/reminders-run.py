"""`ganxun reminders-run [--now ISO] [--json]`: send the reminders due now, once each.

The worker does this every minute; the command is for installations without a worker (cron)
and for checking a given moment (``--now 2030-03-01T18:00``). Acts as SYSTEM (every program)
unless ``--as`` narrows it.
"""

import json
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.reminders.schedule import reminders_run


class Command(ScopedCommand):
    cross_tree = True
    help = (
        "发送此刻到期的提醒（明日上课、课前、问卷截止、评价截止、提纲截止、学时未达标），"
        "每条只发一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="按此时刻计算（ISO 格式，如 2030-03-01T18:00）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        now = None
        if opts["now"]:
            try:
                now = datetime.fromisoformat(opts["now"])
            except ValueError:
                raise CommandError(
                    _("时刻 %(now)s 不是 ISO 格式。") % {"now": opts["now"]}
                ) from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        sent = reminders_run(now, strict=True)
        if opts["json"]:
            self.stdout.write(json.dumps(sent))
            return
        for kind, count in sent.items():
            self.stdout.write(f"{kind}: {count}")
