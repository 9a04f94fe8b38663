"""Money for the demo: the program's budget (income from the three sources Tongyu names —
财政拨一点、党费出一点、部门自筹一点 — and its first expenses) and the city's annual training
budget with a year of spending, entered through the budgets services as the demo ``admin``."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ganxun.budgets.services import (
    BudgetData,
    ExpenseData,
    IncomeData,
    budget_create,
    expense_add,
    income_add,
)
from ganxun.programs.models import Program

# (category, payee, amount) of the program's first expenses.
PROGRAM_EXPENSES = [
    ("lecturer", "市委党校（讲课费）", "4800.00"),
    ("materials", "甬江新华书店", "3260.00"),
    ("venue", "市委党校报告厅", "1500.00"),
]
ANNUAL_EXPENSES = [
    ("lecturer", "浙江大学继续教育学院", "36000.00"),
    ("travel", "甬江旅行社（赴嘉兴南湖现场教学）", "52800.00"),
    ("site", "嘉兴南湖革命纪念馆", "6400.00"),
    ("materials", "党建读物出版社", "11850.00"),
    ("venue", "市委党校", "9000.00"),
    ("other", "干部网络学院年费", "20000.00"),
]


@dataclass(frozen=True)
class BudgetsSummary:
    budgets: int
    expenses: int


def build_budgets(users, rng) -> BudgetsSummary:
    admin = users["admin"]
    program = Program.objects.filter(org=admin.org, name="周末知行学堂").order_by("-pk").first()
    count = 0
    if program is not None:
        count += _program_budget(admin, program)
    count += _annual_budget(admin, rng)
    return BudgetsSummary(budgets=2 if program is not None else 1, expenses=count)


def _program_budget(admin, program: Program) -> int:
    year, day = program.start_date.year, program.start_date
    budget = budget_create(
        actor=admin,
        data=BudgetData(
            title=f"{program.full_name}经费", year=year, amount="60000.00", program=program
        ),
    )
    for source, amount in (("fiscal", "30000"), ("party_dues", "15000"), ("self_raised", "15000")):
        income_add(
            actor=admin,
            budget=budget,
            data=IncomeData(source, amount, day - timedelta(days=20), "周末知行学堂专项"),
        )
    for n, (category, payee, amount) in enumerate(PROGRAM_EXPENSES, start=1):
        expense_add(
            actor=admin,
            budget=budget,
            data=ExpenseData(category, amount, day, payee, f"ZX{year}-{n:03d}"),
        )
    return len(PROGRAM_EXPENSES)


def _annual_budget(admin, rng) -> int:
    today = timezone.localdate()
    year = today.year
    budget = budget_create(
        actor=admin,
        data=BudgetData(title=f"{year}年度干部教育培训经费", year=year, amount="200000.00"),
    )
    income_add(actor=admin, budget=budget, data=IncomeData("fiscal", "150000", date(year, 1, 15)))
    income_add(actor=admin, budget=budget, data=IncomeData("party_dues", "50000", date(year, 3, 1)))
    for n, (category, payee, amount) in enumerate(ANNUAL_EXPENSES, start=1):
        # Spread over the months gone by; pennies vary by seed so demos differ a little.
        month = 1 + (n * max(today.month - 1, 1)) // (len(ANNUAL_EXPENSES) + 1)
        cents = Decimal(rng.randint(0, 99)) / 100
        expense_add(
            actor=admin,
            budget=budget,
            data=ExpenseData(
                category, Decimal(amount) + cents, date(year, month, 10), payee, f"ND{year}-{n:03d}"
            ),
        )
    return len(ANNUAL_EXPENSES)
