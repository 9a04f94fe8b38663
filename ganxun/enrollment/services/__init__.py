"""Every write of enrollment: one transaction each, audited, refusing with EnrollmentError."""

from ganxun.enrollment.services.allocation import (
    quota_units,
    quotas_allocate,
    quotas_allocate_preview,
    quotas_remind,
)
from ganxun.enrollment.services.inbox import notices_mark_read
from ganxun.enrollment.services.leave import leave_decide, leave_request, leave_withdraw
from ganxun.enrollment.services.quotas import (
    nomination_create,
    nomination_replace,
    nomination_return,
    nomination_withdraw,
    nominations_confirm,
    nominations_confirm_preview,
    quota_delete,
    quota_save,
)
from ganxun.enrollment.services.seats import (
    seat_cancel,
    seat_pick,
    seats_promote,
    selection_closes_at,
    selection_rules_save,
)

__all__ = [
    "leave_decide",
    "leave_request",
    "leave_withdraw",
    "nomination_create",
    "nomination_replace",
    "nomination_return",
    "nomination_withdraw",
    "nominations_confirm",
    "nominations_confirm_preview",
    "notices_mark_read",
    "quota_delete",
    "quota_save",
    "quota_units",
    "quotas_allocate",
    "quotas_allocate_preview",
    "quotas_remind",
    "seat_cancel",
    "seat_pick",
    "seats_promote",
    "selection_closes_at",
    "selection_rules_save",
]
