from ganxun.core.errors import DomainError


class BudgetError(DomainError):
    """Refusals of budgets and expenses (stable codes)."""
