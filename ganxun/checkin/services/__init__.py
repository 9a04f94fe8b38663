"""Every write of check-in. Views, the API, the demo and tests call these."""

from ganxun.checkin.services.core import (
    OPENS_BEFORE,
    CheckinResult,
    early_minutes_at,
    late_minutes_at,
    require_open,
    window,
)
from ganxun.checkin.services.desk import (
    attendance_check_out,
    attendance_record_manual,
    attendance_record_sheet,
)
from ganxun.checkin.services.scan import (
    attendance_check_in,
    attendance_scan,
    session_for_checkin,
)

__all__ = [
    "OPENS_BEFORE",
    "CheckinResult",
    "attendance_check_in",
    "attendance_check_out",
    "attendance_record_manual",
    "attendance_record_sheet",
    "attendance_scan",
    "early_minutes_at",
    "late_minutes_at",
    "require_open",
    "session_for_checkin",
    "window",
]
