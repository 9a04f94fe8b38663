from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    """The audit triggers ask this whether the log is locked (always, except in tests)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ganxun_audit_locked", 0, lambda: 0 if settings.GANXUN_AUDIT_PURGE_ALLOWED else 1
        )


class CoreConfig(AppConfig):
    name = "ganxun.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from ganxun.core import lookups  # noqa: F401  (registers IntegerFieldIn)

        connection_created.connect(_register_sqlite_functions)
