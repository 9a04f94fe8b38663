"""学时 of a lesson: the one definition (``core.hours``) under the crediting rules of the
credits app — a lesson's own hours when set, otherwise its length ÷ the minutes of one 学时,
rounded down to half a 学时, exactly as a session's."""

from datetime import timedelta
from decimal import Decimal

from ganxun.core import hours
from ganxun.credits import ledger


def lesson_hours(lesson) -> Decimal:
    rule = ledger.hours_rule(ledger.credit_settings())
    return hours.hours_of(timedelta(seconds=lesson.duration_seconds), lesson.credit_hours, rule)
