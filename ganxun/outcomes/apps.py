from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OutcomesConfig(AppConfig):
    name = "ganxun.outcomes"
    label = "outcomes"
    verbose_name = gettext_lazy("培训成效")

    def ready(self):
        from ganxun.outcomes import kinds  # noqa: F401  (the notice kinds it sends)
