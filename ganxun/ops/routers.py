"""Reports on a read replica, switched on by settings alone.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database, this router and the
middleware below: GET requests under ``GANXUN_REPLICA_PATHS`` (the statistics pages and
exports by default) read from the replica; every write, and every other page, uses the primary,
so a user always sees their own changes where they make them. Reports tolerate the replica's lag
of a second or so. No code outside this module knows about it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("ganxun_reporting", default=False)


@contextmanager
def reporting() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (jobs and CLI reports use it)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaForReportsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "GANXUN_REPLICA_PATHS", ("/stats/",)))

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path.startswith(self.prefixes):
            with reporting():
                return self.get_response(request)
        return self.get_response(request)
