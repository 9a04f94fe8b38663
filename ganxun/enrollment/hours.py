"""学时 of a session, for leave thresholds and the leave limit (pure, no database)."""

from decimal import ROUND_HALF_UP, Decimal


def session_hours(session) -> Decimal:
    """The session's own 学时 when set; otherwise its length in hours, to one decimal."""
    if session.credit_hours is not None:
        return Decimal(session.credit_hours)
    seconds = (session.ends_at - session.starts_at).total_seconds()
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
