"""课堂满意度评价与测评（前测/后测）。"""

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "ganxun.evaluations"
    label = "evaluations"
    verbose_name = "教学评估"

    def ready(self):
        from ganxun.checkin.events import AttendanceRecorded
        from ganxun.core import events
        from ganxun.evaluations import kinds  # noqa: F401  (the notice kinds it sends)
        from ganxun.evaluations.services.invitations import invite_to_rate

        # a first check-in puts the invitation to rate the class in the inbox (core/events.py)
        events.subscribe(AttendanceRecorded, invite_to_rate)
