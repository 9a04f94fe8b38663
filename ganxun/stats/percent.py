"""Shares as percentages with one decimal, rounded half up (report tables and panels)."""

from decimal import ROUND_HALF_UP, Decimal

PERCENT = Decimal("0.1")


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)
