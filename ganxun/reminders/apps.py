from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders on a schedule (class tomorrow, survey and evaluation deadlines, outlines due,
    hours short of the year's requirement), the switches for them, and 催办 (chasing those who
    have not acted) from the tracking pages; all send through the outbox (ganxun.messaging)."""

    name = "ganxun.reminders"
    label = "reminders"
    verbose_name = "提醒与变更通知"

    def ready(self):
        # The notice kinds, and the periodic task the worker runs every minute.
        from ganxun.reminders import kinds, schedule  # noqa: F401
