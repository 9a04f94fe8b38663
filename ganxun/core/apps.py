from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def audit_locked() -> int:
    """What the audit triggers ask on SQLite: is the log locked (always, except in tests)? Read
    at each call, so a changed setting counts at once."""
    return 0 if settings.GANXUN_AUDIT_PURGE_ALLOWED else 1


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("ganxun_audit_locked", 0, audit_locked)


class CoreConfig(AppConfig):
    name = "ganxun.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from ganxun.core import lookups  # noqa: F401  (registers IntegerFieldIn)

        connection_created.connect(_register_sqlite_functions)
