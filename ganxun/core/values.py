"""The ranges typed values must stay in, and one parser each for query strings.

A date, integer or decimal that Python accepts can still break what comes after it: a calendar
or a day-range filter adds a day to ``9999-12-31`` (OverflowError), ``0001-01-01`` becomes year
0 in UTC, ``1e309`` is a finite Decimal that ``quantize`` refuses, 2⁶³ does not fit an SQLite
integer. So values are refused (a form message, a coded 400/422) or replaced by the page's
default when outside these bounds, at the edge — query strings through the parsers below, form
fields through ``core.forms.StyledFormMixin``, API parameters through ``config.api``.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
# PostgreSQL's integer; every id, count, year and size the site takes fits in it.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Twelve digits before the point: more than any budget, hour count or coordinate.
DECIMAL_MAX = Decimal("999999999999.99")

DATE_MESSAGE = "请填写 1900-01-01 至 2100-12-31 之间的日期。"
INT_MESSAGE = "数值超出范围。"
DECIMAL_MESSAGE = "数值超出范围。"


def date_in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def validate_date_range(value) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_MESSAGE, code="date_out_of_range")


def validate_int_range(value) -> None:
    if value is not None and not INT_MIN <= value <= INT_MAX:
        raise ValidationError(INT_MESSAGE, code="int_out_of_range")


def validate_decimal_range(value) -> None:
    if value is not None and not (value.is_finite() and abs(value) <= DECIMAL_MAX):
        raise ValidationError(DECIMAL_MESSAGE, code="decimal_out_of_range")


def query_date(raw, default: date | None = None) -> date | None:
    """``?date=2030-03-09`` → the date; missing, malformed or out of range → ``default``."""
    try:
        value = date.fromisoformat(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if date_in_range(value) else default


def query_int(raw, default: int | None = None, *, min_value=INT_MIN, max_value=INT_MAX):
    """``?page=3`` → 3; missing, malformed or out of range → ``default``."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if min_value <= value <= max_value else default


def query_decimal(raw, default: Decimal | None = None) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (TypeError, ValueError, InvalidOperation):
        return default
    return value if value.is_finite() and abs(value) <= DECIMAL_MAX else default
