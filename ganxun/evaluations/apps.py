"""课堂满意度评价与测评（前测/后测）。"""

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "ganxun.evaluations"
    label = "evaluations"
    verbose_name = "教学评估"

    def ready(self):
        from ganxun.evaluations import receivers  # noqa: F401
