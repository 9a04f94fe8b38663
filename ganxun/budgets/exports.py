"""Budgets to Excel: one budget's entries, or the execution of all budgets of a year."""

from django.utils.translation import gettext as _

from ganxun.budgets import selectors
from ganxun.core.tables_xlsx import Table, tables_xlsx


def figures_headers() -> list[str]:
    return [
        _("预算"),
        _("组织单位"),
        _("年度"),
        _("培训项目"),
        _("预算金额"),
        _("收入合计"),
        _("支出合计"),
        _("执行率（%）"),
        _("结余"),
        _("人次"),
        _("学时"),
        _("人次成本"),
        _("学时成本"),
        _("状态"),
    ]


def figures_row(fig) -> list:
    b = fig.budget
    return [
        b.title,
        b.org.name,
        b.year,
        b.program.full_name if b.program else _("（年度预算）"),
        b.amount,
        fig.income,
        fig.spent,
        fig.rate,
        fig.balance,
        fig.person_times,
        fig.hours,
        fig.per_person_time,
        fig.per_hour,
        (_("超支 ") if fig.over_budget else "") + b.get_status_display(),
    ]


def budget_xlsx(actor, budget) -> bytes:
    fig = selectors.budget_figures([budget])[0]
    incomes = [
        [i.date, i.get_source_display(), i.amount, i.note] for i in selectors.budget_incomes(budget)
    ]
    expenses = [
        [e.date, e.get_category_display(), e.amount, e.payee, e.voucher_no, e.note]
        for e in selectors.budget_expenses(budget)
    ]
    tables = [
        Table(_("执行情况"), figures_headers(), [figures_row(fig)]),
        Table(_("收入按来源"), [_("来源"), _("金额")], [[k, v] for k, v in fig.source_rows()]),
        Table(_("支出按类别"), [_("类别"), _("金额")], [[k, v] for k, v in fig.category_rows()]),
        Table(_("收入明细"), [_("到账日期"), _("来源"), _("金额"), _("说明")], incomes),
        Table(
            _("支出明细"),
            [_("支出日期"), _("类别"), _("金额"), _("收款方"), _("凭证号"), _("说明")],
            expenses,
        ),
    ]
    return tables_xlsx(str(budget), tables, actor=actor)


def budgets_xlsx(actor, budgets, year) -> bytes:
    rows = [figures_row(f) for f in selectors.budget_figures(budgets)]
    title = _("%(year)s年度经费执行情况") % {"year": year} if year else _("经费执行情况")
    return tables_xlsx(title, [Table(_("经费执行"), figures_headers(), rows)], actor=actor)
