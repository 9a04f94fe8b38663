from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders on a schedule (class tomorrow, survey and evaluation deadlines, outlines due,
    hours short of the year's requirement) and session changes announced to those affected;
    both send through the outbox (ganxun.messaging)."""

    name = "ganxun.reminders"
    label = "reminders"
    verbose_name = "提醒与变更通知"
