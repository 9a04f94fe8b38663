from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ganxun.outcomes"
    label = "outcomes"
    verbose_name = "培训成效"
