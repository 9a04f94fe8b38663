"""ganxun compliance: how many cadres met their 学时 requirements in a year, per unit."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.credits.selectors import compliance_summary
from ganxun.orgs.models import Org


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = (
        "学时达标统计：某年度在职干部人数与达标人数，按下级单位分列。"
        '--json 输出 {"cadres": n, "compliant": n, "units": [{"code": "...", "cadres": n, '
        '"compliant": n}]}（units 为该组织的直属下级；干部直属该组织时，该组织自身列在最前）。'
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2025")
        parser.add_argument("--org", help="组织编码（默认：根组织，即全域）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        year = opts["year"]
        if not 1990 <= year <= 2100:
            raise CommandError(_("年度 %(year)s 不正确。") % {"year": year})
        if opts["org"]:
            org = Org.objects.filter(code=opts["org"]).first()
            if org is None:
                raise CommandError(_("没有编码为 %(code)s 的组织。") % {"code": opts["org"]})
        else:
            org = Org.objects.filter(parent__isnull=True).order_by("sort", "code").first()
            if org is None:
                raise CommandError(_("还没有组织机构。"))
        summary = compliance_summary(org, year)
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self._print(org, year, summary)

    def _print(self, org, year, summary) -> None:
        def share(d):
            return f"{d['compliant'] / d['cadres']:.1%}" if d["cadres"] else "—"

        out = self.stdout
        out.write(f"{org.name}（{org.code}）{year} 年度学时达标")
        out.write(
            f"在职干部 {summary['cadres']}，达标 {summary['compliant']}，达标率 {share(summary)}"
        )
        for unit in summary["units"]:
            out.write(
                f"  {unit['code']:<16} 干部 {unit['cadres']:>7}  "
                f"达标 {unit['compliant']:>7}  {share(unit)}"
            )
