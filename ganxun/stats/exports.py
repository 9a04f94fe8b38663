"""The report as an Excel workbook and as the sentences of the annual report."""

from django.utils.translation import gettext as _

from ganxun.core.tables_xlsx import Table, tables_xlsx
from ganxun.stats.report import Report
from ganxun.stats.tables import report_tables


def report_xlsx(actor, report: Report, title: str) -> bytes:
    sentences = Table(_("综述"), [_("综述")], [[s] for s in headline_sentences(report)])
    return tables_xlsx(title, [sentences, *report_tables(report)], actor=actor)


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def headline_sentences(r: Report) -> list[str]:
    """The figures in words, the way annual reports open ("全年共举办培训班N期，培训干部N人次…")."""
    if r.is_empty:
        return [
            _("%(period)s，%(org)s没有培训班、课次或参训记录。")
            % {"period": r.period.label, "org": r.node.name}
        ]
    span = _("全年") if r.period.year else _("%(period)s期间") % {"period": r.period.label}
    out = [
        _(
            "%(span)s%(org)s共举办培训班%(programs)s期（%(projects)s个培训项目），"
            "安排课次%(sessions)s次、%(hours)s学时；"
            "培训干部%(person_times)s人次（%(trainees)s人），到课%(attendances)s人次。"
        )
        % {
            "span": span,
            "org": r.node.name,
            "programs": _n(r.programs),
            "projects": _n(r.projects),
            "sessions": _n(r.sessions),
            "hours": r.hours,
            "person_times": _n(r.total.person_times),
            "trainees": _n(r.total.trainees),
            "attendances": _n(r.total.attendances),
        }
    ]
    if r.coverage is not None:
        out.append(
            _("在职干部%(cadres)s人中，%(trained)s人至少参训一次，覆盖率%(coverage)s%%。")
            % {
                "cadres": _n(r.total.cadres),
                "trained": _n(r.total.trained_active),
                "coverage": r.coverage,
            }
        )
    channels = [c for c in r.by_channel if c.person_times]
    if channels:
        parts = _("，").join(
            _("%(channel)s%(n)s人次") % {"channel": c.label, "n": _n(c.person_times)}
            for c in channels
        )
        out.append(_("按培训方式：%(parts)s。") % {"parts": parts})
    if r.interactive_share is not None:
        out.append(
            _("互动式教学课次%(n)s次，占全部课次的%(share)s%%。")
            % {"n": _n(r.interactive_sessions), "share": r.interactive_share}
        )
    if r.satisfaction and r.satisfaction.summary.get("responses"):
        s = r.satisfaction.summary
        out.append(
            _("收回课堂满意度评价%(n)s份，平均%(mean)s分（5分制）。")
            % {"n": _n(s["responses"]), "mean": s["mean"]}
        )
    if r.compliance and r.compliance.summary.get("cadres"):
        c = r.compliance.summary
        out.append(
            _("%(n)s名干部完成年度学时要求，达标率%(share)s%%。")
            % {"n": _n(c["compliant"]), "share": c["share"]}
        )
    if r.budgets and r.budgets.summary.get("budgets"):
        b = r.budgets.summary
        money = {
            "amount": f"{b['amount']:,.2f}",
            "income": f"{b['income']:,.2f}",
            "spent": f"{b['spent']:,.2f}",
        }
        if b["rate"] is not None:
            text = _(
                "安排培训经费预算%(amount)s元，到位%(income)s元，支出%(spent)s元，执行率%(rate)s%%。"
            ) % {**money, "rate": b["rate"]}
        else:
            text = _("安排培训经费预算%(amount)s元，到位%(income)s元，支出%(spent)s元。") % money
        out.append(text)
    return out
