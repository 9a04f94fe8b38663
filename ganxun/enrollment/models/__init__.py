"""Enrollment: quotas and nominations (调训, 搭车), seats (自主选学), leave (请假)."""

from ganxun.enrollment.models.changes import ScheduleChange
from ganxun.enrollment.models.eligibility import EligibilityGroup
from ganxun.enrollment.models.leave import LeaveRequest
from ganxun.enrollment.models.quotas import Nomination, Quota
from ganxun.enrollment.models.seats import Seat, SelectionRule

__all__ = [
    "EligibilityGroup",
    "LeaveRequest",
    "Nomination",
    "Quota",
    "ScheduleChange",
    "Seat",
    "SelectionRule",
]
