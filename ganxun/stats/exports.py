"""The report as an Excel workbook and as the sentences of the annual report."""

from ganxun.core.tables_xlsx import Table, tables_xlsx
from ganxun.stats.report import Report
from ganxun.stats.tables import report_tables


def report_xlsx(actor, report: Report, title: str) -> bytes:
    sentences = Table("综述", ["综述"], [[s] for s in headline_sentences(report)])
    return tables_xlsx(title, [sentences, *report_tables(report)], actor=actor)


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def headline_sentences(r: Report) -> list[str]:
    """The figures in words, the way annual reports open ("全年共举办培训班N期，培训干部N人次…")."""
    if r.is_empty:
        return [f"{r.period.label}，{r.node.name}没有培训班、课次或参训记录。"]
    span = "全年" if r.period.year else f"{r.period.label}期间"
    out = [
        f"{span}{r.node.name}共举办培训班{_n(r.programs)}期（{_n(r.projects)}个培训项目），"
        f"安排课次{_n(r.sessions)}次、{r.hours}学时；"
        f"培训干部{_n(r.total.person_times)}人次（{_n(r.total.trainees)}人），"
        f"到课{_n(r.total.attendances)}人次。"
    ]
    if r.coverage is not None:
        out.append(
            f"在职干部{_n(r.total.cadres)}人中，{_n(r.total.trained_active)}人至少参训一次，"
            f"覆盖率{r.coverage}%。"
        )
    channels = [c for c in r.by_channel if c.person_times]
    if channels:
        parts = "，".join(f"{c.label}{_n(c.person_times)}人次" for c in channels)
        out.append(f"按培训方式：{parts}。")
    if r.interactive_share is not None:
        out.append(
            f"互动式教学课次{_n(r.interactive_sessions)}次，占全部课次的{r.interactive_share}%。"
        )
    if r.satisfaction and r.satisfaction.summary.get("responses"):
        s = r.satisfaction.summary
        out.append(f"收回课堂满意度评价{_n(s['responses'])}份，平均{s['mean']}分（5分制）。")
    if r.compliance and r.compliance.summary.get("cadres"):
        c = r.compliance.summary
        out.append(f"{_n(c['compliant'])}名干部完成年度学时要求，达标率{c['share']}%。")
    if r.budgets and r.budgets.summary.get("budgets"):
        b = r.budgets.summary
        rate = f"，执行率{b['rate']}%" if b["rate"] is not None else ""
        out.append(
            f"安排培训经费预算{b['amount']:,.2f}元，到位{b['income']:,.2f}元，"
            f"支出{b['spent']:,.2f}元{rate}。"
        )
    return out
