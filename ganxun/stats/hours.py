"""学时 of sessions, the one definition budgets and statistics share.

A session's 学时 is its ``credit_hours`` when the organizer set them, otherwise its length in
hours (1 学时 = 60 minutes). Cancelled sessions count nothing. Summed in the database: the set
hours and the durations of the sessions without set hours are two sums of one query.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from ganxun.programs.models import Session

HOUR = Decimal("0.1")


def duration():
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def hours_sums(prefix: str = "") -> dict:
    """Aggregates (for ``aggregate`` or ``annotate``) over sessions reached through ``prefix``
    (e.g. "sessions__"); combine their results with ``hours_from``."""
    scheduled = Q(**{f"{prefix}status": Session.Status.SCHEDULED})
    set_hours = Q(**{f"{prefix}credit_hours__isnull": False})
    length = ExpressionWrapper(
        F(f"{prefix}ends_at") - F(f"{prefix}starts_at"), output_field=DurationField()
    )
    return {
        "set_hours": Sum(f"{prefix}credit_hours", filter=scheduled & set_hours),
        "free_time": Sum(length, filter=scheduled & ~set_hours),
    }


def hours_from(set_hours, free_time) -> Decimal:
    total = Decimal(set_hours or 0)
    if free_time:
        seconds = free_time.total_seconds() if isinstance(free_time, timedelta) else free_time
        total += Decimal(str(seconds)) / Decimal(3600)
    return total.quantize(HOUR)


def sessions_hours(sessions: QuerySet) -> Decimal:
    row = sessions.aggregate(**hours_sums())
    return hours_from(row["set_hours"], row["free_time"])
