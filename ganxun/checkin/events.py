"""What check-in announces to the apps above it (through ``core.events``).

``AttendanceRecorded`` is published inside the check-in transaction whenever an Attendance row is
created or its check-out/late/early minutes change: ``attendance`` is the row (with ``session``
already attached, so steps need no query for it), ``created`` says which. The steps subscribed
(in their app's ``ready``): credits turns it into 学时 (``credits.attendance``), evaluations
invites the trainee to rate the class (``evaluations.services.invitations``), ops counts it for
/metrics. Steps must be idempotent: a retried request publishes again for the same row.
"""

from dataclasses import dataclass

from ganxun.checkin.models import Attendance


@dataclass(frozen=True, slots=True)
class AttendanceRecorded:
    attendance: Attendance
    created: bool
