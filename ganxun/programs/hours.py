"""学时 of groups of sessions, summed by the one definition in ``ganxun.core.hours``.

The database groups the sessions by the caller's keys *and* by (length, hours set on the
session, status), so the rows are few whatever the number of sessions (a timetable repeats a
handful of lengths); each distinct session shape is converted to 学时 once in Python by
``core.hours.hours_of`` — exactly as the ledger credits one attendance. Cancelled sessions
count nothing.
"""

from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet

from ganxun.core.hours import current_rule, hours_of
from ganxun.programs.models import Session

HOUR = Decimal("0.1")


def duration():
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def grouped_hours(sessions: QuerySet, keys: tuple[str, ...] = ()) -> list[dict]:
    """One dict per distinct ``keys`` value: the keys, ``n`` (sessions) and ``hours`` (学时)."""
    rule = current_rule()
    rows = (
        sessions.order_by()
        .annotate(gx_length=duration())
        .values(*keys, "gx_length", "credit_hours", "status")
        .annotate(gx_n=Count("id"))
    )
    out: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        target = out.setdefault(
            key, {**dict(zip(keys, key, strict=True)), "n": 0, "hours": Decimal(0)}
        )
        target["n"] += row["gx_n"]
        if row["status"] == Session.Status.SCHEDULED:
            target["hours"] += row["gx_n"] * hours_of(row["gx_length"], row["credit_hours"], rule)
    return list(out.values())


def sessions_hours(sessions: QuerySet) -> Decimal:
    rows = grouped_hours(sessions)
    return rows[0]["hours"] if rows else Decimal("0.0")
