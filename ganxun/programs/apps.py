from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgramsConfig(AppConfig):
    name = "ganxun.programs"
    label = "programs"
    verbose_name = gettext_lazy("培训项目")

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.programs.services import batches  # noqa: F401
