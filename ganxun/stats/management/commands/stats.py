"""ganxun stats --year YYYY [--org CODE] [--start D --end D] [--json]: the figures of the
statistics dashboard, from the same selector (``stats.report.stats_report``)."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ganxun.core.commands import ScopedCommand
from ganxun.core.errors import DomainError
from ganxun.orgs.models import Org
from ganxun.stats.exports import headline_sentences
from ganxun.stats.period import Period
from ganxun.stats.report import stats_report
from ganxun.stats.tables import report_tables


class Command(ScopedCommand):
    cross_tree = True  # maintenance/report over the whole tree: SYSTEM unless --as
    help = "干部教育培训统计：与统计看板、Excel 导出同一口径。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="统计年度")
        parser.add_argument("--start", type=date.fromisoformat, help="区间开始 YYYY-MM-DD")
        parser.add_argument("--end", type=date.fromisoformat, help="区间结束 YYYY-MM-DD")
        parser.add_argument("--org", help="组织编码（默认：最上级组织）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts):
        try:
            period = self._period(opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        node = self._node(opts["org"])
        report = stats_report(node, period)
        tables = report_tables(report)
        if opts["json"]:
            body = {
                "org": node.code,
                "period": {"start": str(period.start), "end": str(period.end)},
                "headline": report.headline,
                "tables": [
                    {"title": t.title, "headers": t.headers, "rows": _plain(t.rows)} for t in tables
                ],
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=1))
            return
        for sentence in headline_sentences(report):
            self.stdout.write(sentence)
        for t in tables:
            self.stdout.write(f"\n【{t.title}】")
            self.stdout.write("\t".join(t.headers))
            for row in _plain(t.rows):
                self.stdout.write("\t".join("" if v is None else str(v) for v in row))

    def _period(self, opts) -> Period:
        if opts["start"] or opts["end"]:
            if not (opts["start"] and opts["end"]):
                raise CommandError(_("--start 与 --end 须同时给出。"))
            return Period.between(opts["start"], opts["end"])
        if not opts["year"]:
            raise CommandError(_("请给出 --year 或 --start/--end。"))
        return Period.of_year(opts["year"])

    def _node(self, code: str | None) -> Org:
        if code:
            node = Org.objects.filter(code=code).first()
            if node is None:
                raise CommandError(_("没有编码为 %(code)s 的组织。") % {"code": code})
            return node
        node = Org.objects.filter(parent__isnull=True).order_by("path").first()
        if node is None:
            raise CommandError(_("还没有组织机构。"))
        return node


def _plain(rows):
    """JSON-friendly cells: Decimals as strings (exact), dates ISO."""
    out = []
    for row in rows:
        out.append([v if isinstance(v, int | str | type(None)) else str(v) for v in row])
    return out
