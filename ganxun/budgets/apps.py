from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "ganxun.budgets"
    label = "budgets"
    verbose_name = "培训经费"
