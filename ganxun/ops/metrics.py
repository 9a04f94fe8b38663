"""Prometheus metrics: request latency (histogram), task queue depth, jobs running, live workers
and check-ins per minute.

Request latency and the check-in counter live in the process that served the request; with
several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (see deploy/) and prometheus_client
adds up the processes' files. Queue depth, workers and check-ins per minute are read from the
database when Prometheus scrapes, so every app process answers the same figures.
"""

import os
from datetime import timedelta

from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from ganxun.checkin.models import Attendance
from ganxun.ops.worker import fresh_heartbeats

REQUEST_SECONDS = Histogram(
    "ganxun_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
CHECKINS = Counter("ganxun_checkins", "Attendance rows created (check-ins), by this process")

# how far back /metrics looks for check-ins; bounded so a scrape stays cheap on a big table
RECENT_CHECKIN_ROWS = 20_000


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, f"{status // 100}xx").observe(seconds)


def count_checkin(event) -> None:
    """Subscribed to check-in's AttendanceRecorded (OpsConfig.ready): a new row is a check-in."""
    if event.created:
        CHECKINS.inc()


def render() -> tuple[bytes, str]:
    """The text exposition of every metric, for the /metrics view."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
        registry.register(CHECKINS)
    registry.register(DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class DatabaseCollector:
    """Figures read from the database at scrape time, the same whichever process answers."""

    def collect(self):
        queued, running = task_counts()
        depth = GaugeMetricFamily(
            "ganxun_task_queue_depth", "Tasks waiting for a worker, by queue", labels=["queue"]
        )
        for queue, n in sorted(queued.items()) or [("default", 0)]:
            depth.add_metric([queue], n)
        yield depth
        yield GaugeMetricFamily("ganxun_tasks_running", "Tasks a worker is running", value=running)
        yield GaugeMetricFamily(
            "ganxun_workers_alive", "Task workers with a fresh heartbeat", value=workers_alive()
        )
        yield GaugeMetricFamily(
            "ganxun_checkins_last_minute",
            "Check-ins (Attendance rows) with a check-in time in the last 60 seconds",
            value=checkins_last_minute(),
        )


def task_counts() -> tuple[dict[str, int], int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    ready = (
        DBTaskResult.objects.ready().order_by().values_list("queue_name").annotate(n=Count("id"))
    )
    running = DBTaskResult.objects.running().count()
    return dict(ready), running


def workers_alive() -> int:
    return fresh_heartbeats().count()


def checkins_last_minute() -> int:
    """Counted over the newest rows by primary key (an index), not a scan of the whole table."""
    since = timezone.now() - timedelta(seconds=60)
    # scope: a count of recent check-ins across the site for the operators' metrics, no rows
    rows = Attendance._base_manager
    newest = rows.order_by("-pk").values("pk")[:RECENT_CHECKIN_ROWS]
    return rows.filter(pk__in=newest, checked_in_at__gte=since).count()
