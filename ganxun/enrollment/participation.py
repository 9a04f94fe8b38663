"""What enrollment gives programs through ``programs.participation`` (registered in ready())."""

from django.db.models import QuerySet

from ganxun.enrollment.coverage import enrolment_warnings
from ganxun.enrollment.expected import expected_cadre_ids
from ganxun.enrollment.models import Seat
from ganxun.enrollment.services.changes import (
    schedule_change_record,
    session_change_record,
    sessions_added_record,
    trainee_batch_change_record,
)
from ganxun.enrollment.services.seats import seats_promote

__all__ = [
    "duty_lines",
    "enrolled_seats",
    "expected_cadre_ids",
    "schedule_change_record",
    "seats_promote",
    "session_change_record",
    "sessions_added_record",
    "trainee_batch_change_record",
]


def enrolled_seats() -> QuerySet:
    """Seats that count (waitlisted and cancelled picks do not), unscoped: callers checked."""
    # scope: a base each caller narrows to a held session or to held trainee rows' cadres
    return Seat._base_manager.filter(status=Seat.Status.ENROLLED)


def duty_lines(*, actor, program, cadre_ids) -> list[str]:
    """Duty coverage across programs for trainees just added to ``program`` (enrollment's
    ``coverage``: units left with no leader on duty). Bulk changes: leaders only."""
    return enrolment_warnings(actor=actor, program=program, cadre_ids=cadre_ids, leaders_only=True)
