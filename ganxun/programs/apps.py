from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ganxun.programs"
    label = "programs"
    verbose_name = "培训项目"

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.programs.services import batches  # noqa: F401
