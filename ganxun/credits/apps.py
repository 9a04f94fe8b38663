from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "ganxun.credits"
    label = "credits"
    verbose_name = "学时学分"

    def ready(self):
        # the attendance receiver and the job handlers register themselves on import
        from ganxun.credits import importing, jobs, receivers  # noqa: F401
