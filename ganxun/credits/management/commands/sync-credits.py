"""ganxun sync-credits: credit teaching hours for sessions that have ended and bring attendance
credits in line with the current rules. Idempotent: a second run writes nothing."""

import json

from ganxun.core.commands import ScopedCommand
from ganxun.credits.jobs import sync_credits


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "重算授课学时（已结束课次的授课教师）与出勤学时；可重复运行，不会重复计入。"

    def add_arguments(self, parser):
        parser.add_argument("--teaching-only", action="store_true", help="只计算授课学时")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        result = sync_credits(attendance=not opts["teaching_only"])
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(
                f"授课学时写入 {result.teaching_rows} 条，出勤学时调整 {result.attendance_rows} 条"
            )
