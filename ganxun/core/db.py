"""Database round trips on the request path (issue 19, docs/benchmarks.md "Request path").

**Health checks only after a pause.** ``conn_health_checks`` makes Django send ``SELECT 1``
before the first query of *every* request on a persistent connection — for ``GET /api/ping``
that doubled its round trips. A connection that finished a request without error less than
``HEALTHY_FOR`` seconds ago is taken as healthy and that ``SELECT 1`` is skipped; after a pause
(when PostgreSQL may have restarted or cut an idle connection) the check runs as before. A
request meeting a connection dropped within that second fails like any request in flight when
the server went away, and Django's error handling (``close_if_unusable_or_obsolete``) then
replaces the connection.
"""

import time
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connections

# A connection that answered a request this recently is not asked ``SELECT 1`` again.
HEALTHY_FOR = 1.0


def _mark_healthy(**_kwargs: Any) -> None:
    # after Django's close_old_connections (connected first), which closed a broken connection
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.errors_occurred:
            conn.gx_healthy_at = now  # type: ignore[attr-defined]


def _skip_recent_health_check(**_kwargs: Any) -> None:
    # after Django's close_old_connections, which has just asked for a health check before
    # this request's first query
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        healthy_at = getattr(conn, "gx_healthy_at", None)
        if (
            conn.connection is not None
            and healthy_at is not None
            and now - healthy_at < HEALTHY_FOR
        ):
            conn.health_check_done = True  # type: ignore[attr-defined]  # Django's, untyped


def connect_health_check_rule() -> None:
    """Called once from CoreConfig.ready (after django.db connected its own receivers)."""
    request_started.connect(_skip_recent_health_check, dispatch_uid="gx_skip_health_check")
    request_finished.connect(_mark_healthy, dispatch_uid="gx_mark_healthy")
