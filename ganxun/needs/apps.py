from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "ganxun.needs"
    label = "needs"
    verbose_name = "需求调研"

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.needs import jobs  # noqa: F401
