from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "ganxun.learning"
    label = "learning"
    verbose_name = "在线学习"

    def ready(self):
        from ganxun.learning import pickers  # noqa: F401
