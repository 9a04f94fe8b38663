"""ganxun import-learning: check (and with --commit, import) an online-learning platform's export
of completed courses, as a given user (their subtree bounds which cadres may be matched)."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.core.commands import ScopedCommand
from ganxun.core.errors import DomainError
from ganxun.credits import importing, policies


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "导入干部网络学院学习记录（身份证号、课程、学时、完成日期、记录号）；默认只检查。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--platform", required=True, help="平台名称，如 中国干部网络学院")
        parser.add_argument("--user", required=True, help="以该账号的权限和范围导入")
        parser.add_argument("--commit", action="store_true", help="写入台账（否则只检查）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["user"]).select_related("org").first()
        if user is None or not policies.can_record_credits(user):
            raise CommandError(_("账号 %(user)s 不存在或无权登记学时。") % {"user": opts["user"]})
        try:
            result = importing.run_file(
                user, opts["file"], platform=opts["platform"], commit=opts["commit"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        result.pop("records")
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
        else:
            c = result["counts"]
            self.stdout.write(
                f"共 {result['rows']} 行：新增 {c['new']}，已导入过 {c['unchanged']}，"
                f"有错误 {c['error']}；写入台账 {result['written']} 条"
            )
