"""Panels whose figures other apps compute: satisfaction (evaluations), hours compliance
(credits) and budget execution (budgets). Each app's own selector is called, so the figure is
the same as on that app's pages and CLI; this module only shapes it into a table."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ganxun.budgets.selectors import execution_summary
from ganxun.credits.selectors import compliance_summary
from ganxun.evaluations.progress import satisfaction_trend
from ganxun.orgs.models import Org
from ganxun.stats.percent import percent
from ganxun.stats.period import Period


@dataclass
class Panel:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    summary: dict = field(default_factory=dict)
    chart: dict = field(default_factory=dict)


def satisfaction(node: Org, period: Period) -> Panel:
    """课堂满意度 per month, for sessions of programs the node's orgs run (helper C's selector)."""
    months = satisfaction_trend(node, period.start, period.end)
    responses = sum(m["responses"] for m in months)
    weighted = sum((m["mean"] or 0) * m["responses"] for m in months)
    mean = round(weighted / responses, 2) if responses else None
    return Panel(
        _("课堂满意度"),
        [_("月份"), _("平均分（5分制）"), _("评价份数")],
        [[m["month"], m["mean"], m["responses"]] for m in months],
        note=_("本级及下级举办的培训项目课次的课堂满意度评价，按上课月份统计。"),
        summary={"mean": mean, "responses": responses},
        chart={
            "months": [m["month"] for m in months],
            "means": [m["mean"] for m in months],
            "responses": [m["responses"] for m in months],
        },
    )


def compliance(node: Org, period: Period) -> Panel | None:
    """学时达标 of the node's active cadres for the period's year — the same computation as the
    credits pages and ``ganxun compliance`` (helper E's selector). Only for a whole year."""
    if period.year is None:
        return None

    data = compliance_summary(node, period.year)
    names = dict(
        # scope: only the names of the units compliance counted under the checked node
        Org._base_manager.filter(code__in=[u["code"] for u in data["units"]]).values_list(
            "code", "name"
        )
    )
    rows = [
        [names.get(u["code"], u["code"]), u["cadres"], u["compliant"], _share(u)]
        for u in data["units"]
    ]
    return Panel(
        _("学时达标"),
        [_("单位"), _("在职干部"), _("达标人数"), _("达标率（%）")],
        rows,
        note=_(
            "%(year)s年度学时要求（按职级）完成情况，口径与学时学分页面、ganxun compliance 一致。"
        )
        % {"year": period.year},
        summary={"cadres": data["cadres"], "compliant": data["compliant"], "share": _share(data)},
    )


def _share(d: dict):
    return percent(d["compliant"], d["cadres"])


def budgets(node: Org, period: Period) -> Panel:
    """经费执行 of the budgets of the node's orgs for the years the period touches."""
    data = execution_summary(node, period.years)
    rows = [
        [_("预算数（个）"), data.budgets],
        [_("预算金额"), data.amount],
        [_("收入合计"), data.income],
        *[
            [_("　收入·%(label)s") % {"label": label}, amount]
            for label, amount in data.source_rows()
        ],
        [_("支出合计"), data.spent],
        *[
            [_("　支出·%(label)s") % {"label": label}, amount]
            for label, amount in data.category_rows()
        ],
        [_("执行率（%）"), data.rate],
        [_("超支的预算（个）"), data.over_budget],
    ]
    return Panel(
        _("经费执行"),
        [_("项目"), _("数值")],
        rows,
        note=_("按预算年度统计（%(years)s年）；金额单位：元。")
        % {"years": "、".join(str(y) for y in period.years)},
        summary=data.summary(),
        chart={
            "categories": [label for label, _amount in data.category_rows()],
            "amounts": [str(amount) for _label, amount in data.category_rows()],
        },
    )
