from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "ganxun.catalog"
    label = "catalog"
    verbose_name = "课程与师资"

    def ready(self):
        # Job handlers register themselves on import; the task worker needs them at start-up.
        from ganxun.catalog import (
            kinds,  # noqa: F401  (the notice kinds it sends)
            pickers,  # noqa: F401
        )
        from ganxun.catalog.importing import run  # noqa: F401
