"""`ganxun demo`: fill an empty database with the demo city and print the demo logins."""

import unicodedata

from django.core.management.base import CommandError
from django.db import transaction

from ganxun.core.commands import ScopedCommand
from ganxun.core.context import RequestInfo, request_info
from ganxun.demo.city import (
    DEFAULT_CADRES,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoLogin,
    DemoSummary,
    demo_has_data,
    demo_load,
    demo_logins,
)
from ganxun.demo.features import FeaturesSummary, demo_features
from ganxun.orgs.errors import OrgError


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = (
        "生成演示城市（1市、10区县、约120乡镇街道、约1500村社区、5万干部）并打印各角色的演示账号。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="随机种子：同一种子生成相同的数据"
        )
        parser.add_argument(
            "--cadres",
            type=int,
            default=DEFAULT_CADRES,
            help="干部人数（默认 50000；人数较少时村社区按比例减少，每个乡镇街道至少一个）",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="库中已有组织数据时不生成，只打印演示账号（供 make run 每次调用）",
        )

    def handle(self, *args, seed: int, cadres: int, if_empty: bool, **options):
        if if_empty and demo_has_data():
            self.stdout.write("库中已有组织数据，未生成演示数据。")
        else:
            self.stdout.write(f"正在生成演示城市（种子 {seed}，干部 {cadres:,} 人）…")
            with request_info(RequestInfo(channel="cli")):
                try:
                    # One transaction: the city and its features are there whole or not at all.
                    with transaction.atomic():
                        summary = demo_load(seed=seed, cadres=cadres)
                        features = demo_features(seed=seed)
                except OrgError as exc:
                    raise CommandError(exc.message) from None
            self.stdout.write(self.style.SUCCESS(_summary_line(summary)))
            self.stdout.write(self.style.SUCCESS(_features_line(features)))
        self._print_logins(demo_logins())

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            self.stdout.write("库中没有演示账号。")
            return
        rows = [("角色", "用户名", "密码", "可见范围", "登录须知")]
        rows += [(x.label, x.username, x.password, x.scope, _needs(x)) for x in logins]
        self.stdout.write("")
        self.stdout.write("演示账号（首次登录无需修改密码；若已修改，以新密码为准）：")
        for line in _table(rows):
            self.stdout.write(line)
        for login in logins:
            if login.username == "trainee" and login.id_number:
                self.stdout.write(
                    f"学员 {login.cadre_name} 也可用身份证号 {login.id_number} 登录，"
                    f"密码同为 {DEMO_PASSWORD}。"
                )


def _needs(login: DemoLogin) -> str:
    """What this account needs to get in, in one cell without spaces (the table splits on them)."""
    parts = ["用户名+密码"]
    if login.username == "trainee" and login.id_number:
        parts.append("或身份证号+密码")
    if login.two_factor == "required":
        parts.append("首次登录须绑定手机验证器（两步验证）")
    elif login.two_factor == "offered":
        parts.append("首页提示可绑定两步验证（可稍后）")
    return "；".join(parts)


def _summary_line(summary: DemoSummary) -> str:
    return (
        f"已生成：组织 {summary.orgs:,} 个，干部 {summary.cadres:,} 人，"
        f"人员类别关联 {summary.category_links:,} 条，任职经历 {summary.history:,} 条，"
        f"账号 {summary.users} 个"
        f"（共 {summary.rows:,} 行，用时 {summary.seconds:.1f} 秒）。"
    )


def _features_line(features: FeaturesSummary) -> str:
    return (
        f"演示内容：课程 {features.courses} 门，师资 {features.lecturers} 人；"
        f"培训项目 1 个（{features.sessions} 次课，学员 {features.trainees} 人）；"
        f"需求调研 1 份（调研对象 {features.respondents} 人，已答 {features.answered} 份）"
        f"（用时 {features.seconds:.1f} 秒）。"
    )


def _width(text: str) -> int:
    """Columns a terminal gives the text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(rows[0]), rule, *(line(row) for row in rows[1:])]
