"""Models of budgets."""
