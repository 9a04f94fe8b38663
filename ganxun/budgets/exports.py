"""Budgets to Excel: one budget's entries, or the execution of all budgets of a year."""

from ganxun.budgets import selectors
from ganxun.core.tables_xlsx import Table, tables_xlsx


def figures_headers() -> list[str]:
    return [
        "预算",
        "组织单位",
        "年度",
        "培训项目",
        "预算金额",
        "收入合计",
        "支出合计",
        "执行率（%）",
        "结余",
        "人次",
        "学时",
        "人次成本",
        "学时成本",
        "状态",
    ]


def figures_row(fig) -> list:
    b = fig.budget
    return [
        b.title,
        b.org.name,
        b.year,
        b.program.full_name if b.program else "（年度预算）",
        b.amount,
        fig.income,
        fig.spent,
        fig.rate,
        fig.balance,
        fig.person_times,
        fig.hours,
        fig.per_person_time,
        fig.per_hour,
        ("超支 " if fig.over_budget else "") + b.get_status_display(),
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
        Table("执行情况", figures_headers(), [figures_row(fig)]),
        Table("收入按来源", ["来源", "金额"], [[k, v] for k, v in fig.source_rows()]),
        Table("支出按类别", ["类别", "金额"], [[k, v] for k, v in fig.category_rows()]),
        Table("收入明细", ["到账日期", "来源", "金额", "说明"], incomes),
        Table("支出明细", ["支出日期", "类别", "金额", "收款方", "凭证号", "说明"], expenses),
    ]
    return tables_xlsx(str(budget), tables, actor=actor)


def budgets_xlsx(actor, budgets, year) -> bytes:
    rows = [figures_row(f) for f in selectors.budget_figures(budgets)]
    title = f"{year}年度经费执行情况" if year else "经费执行情况"
    return tables_xlsx(title, [Table("经费执行", figures_headers(), rows)], actor=actor)
