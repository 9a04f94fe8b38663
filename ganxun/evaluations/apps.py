from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "ganxun.evaluations"
    label = "evaluations"
    verbose_name = "教学评估"
