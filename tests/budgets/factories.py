"""Budgets for tests: plain creates (fast); the services are what the tests exercise."""

from datetime import date
from decimal import Decimal

from ganxun.budgets.models import Budget, Expense, Income


def make_budget(org, actor, *, program=None, year=2030, amount="10000.00", **extra) -> Budget:
    return Budget.objects.create(
        org=org,
        program=program,
        year=year,
        title=extra.pop("title", "培训经费"),
        amount=Decimal(amount),
        created_by=actor,
        **extra,
    )


def make_expense(budget, actor, voucher="V001", amount="100.00", **extra) -> Expense:
    return Expense.objects.create(
        budget=budget,
        org=budget.org,
        year=budget.year,
        category=extra.pop("category", "lecturer"),
        amount=Decimal(amount),
        date=extra.pop("date", date(budget.year, 3, 1)),
        payee=extra.pop("payee", "某某"),
        voucher_no=voucher,
        created_by=actor,
        **extra,
    )


def make_income(budget, actor, amount="100.00", source="fiscal") -> Income:
    return Income.objects.create(
        budget=budget,
        source=source,
        amount=Decimal(amount),
        date=date(budget.year, 1, 10),
        created_by=actor,
    )


def foreign_budgets(city, other_admin) -> dict:
    """A budget of 西山区 with an income and an expense, for the URL walk in
    tests/test_scoping_http.py (more specific prefixes first)."""
    from tests.programs.factories import make_program

    program = make_program(city.county_b, organizer=other_admin, name="西山区经费班")
    budget = make_budget(city.county_b, other_admin, program=program)
    income = make_income(budget, other_admin)
    expense = make_expense(budget, other_admin, voucher="XS-001")
    return {
        "budgets/incomes/": income.pk,
        "budgets/expenses/": expense.pk,
        "budgets/program/": program.pk,
        "budgets/": budget.pk,
    }
