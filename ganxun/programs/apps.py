from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgramsConfig(AppConfig):
    name = "ganxun.programs"
    label = "programs"
    verbose_name = gettext_lazy("培训项目")

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.catalog.services.faculty import register_commitments
        from ganxun.programs.selectors import lecturer_future_sessions
        from ganxun.programs.services import batches  # noqa: F401

        # A lecturer with sessions still to come is not deleted (catalog asks, programs answers).
        register_commitments(lecturer_future_sessions)
