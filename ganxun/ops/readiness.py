"""What /readyz checks: each check answers (ok, detail) and never raises."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from ganxun.ops.metrics import task_counts
from ganxun.ops.worker import fresh_heartbeats


def check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def check_cache() -> tuple[bool, str]:
    key = f"ganxun:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return ok, cache.__class__.__name__ if ok else "written value not read back"


def check_tasks() -> tuple[bool, str]:
    """The queue table answers; and, when the deployment says a worker must run, one beats."""
    queued, _running = task_counts()
    workers = fresh_heartbeats().count()
    detail = f"{sum(queued.values())} queued, {workers} worker(s)"
    if getattr(settings, "GANXUN_READYZ_REQUIRE_WORKER", False) and not workers:
        return False, f"no task worker has beaten recently; {detail}"
    return True, detail


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            ok, detail = check()
        except Exception as exc:  # a probe reports failures, it does not raise them
            ok, detail = False, f"{type(exc).__name__}: {str(exc)[:200]}"
            if name == "database":
                connection.close()  # the next request opens a fresh connection
        results[name] = {
            "ok": ok,
            "detail": detail,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
    return results
