from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health and readiness probes, Prometheus metrics, JSON request logs, backup and
    restore, and the task worker's heartbeat that lets a crashed worker's jobs be picked up."""

    name = "ganxun.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self):
        from ganxun.checkin.events import AttendanceRecorded
        from ganxun.core import events
        from ganxun.ops import metrics

        # counts check-ins for /metrics (core/events.py)
        events.subscribe(AttendanceRecorded, metrics.count_checkin)
