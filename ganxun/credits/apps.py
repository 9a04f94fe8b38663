from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "ganxun.credits"
    label = "credits"
    verbose_name = "学时学分"

    def ready(self):
        from ganxun.checkin.events import AttendanceRecorded
        from ganxun.core import events, hours
        from ganxun.credits import importing, jobs  # noqa: F401  (job handlers register on import)
        from ganxun.credits.attendance import credit_attendance
        from ganxun.credits.ledger import credit_settings, hours_rule

        # check-in credits the session's 学时 in its own transaction (core/events.py)
        events.subscribe(AttendanceRecorded, credit_attendance)

        # the minutes of one 学时 live in the crediting rules row; core.hours reads them here
        hours.register_rule_provider(lambda: hours_rule(credit_settings()))
