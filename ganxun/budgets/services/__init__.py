"""Every budgets write: one transaction each, audited. Views, CLI and the demo call these."""

from ganxun.budgets.services.budgets import (
    BudgetData,
    budget_close,
    budget_create,
    budget_reopen,
    budget_update,
)
from ganxun.budgets.services.entries import (
    ExpenseData,
    IncomeData,
    Saved,
    expense_add,
    expense_delete,
    income_add,
    income_delete,
)

__all__ = [
    "BudgetData",
    "ExpenseData",
    "IncomeData",
    "Saved",
    "budget_close",
    "budget_create",
    "budget_reopen",
    "budget_update",
    "expense_add",
    "expense_delete",
    "income_add",
    "income_delete",
]
