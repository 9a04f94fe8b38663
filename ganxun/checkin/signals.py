"""Signals other apps listen to (credits turns attendance into 学时).

``attendance_recorded`` is sent inside the check-in transaction whenever an Attendance row is
created or its check-out/late/early minutes change: ``attendance`` is the row, ``created`` says
which. Receivers must be idempotent: a retried request sends it again for the same row.
"""

from django.dispatch import Signal

attendance_recorded = Signal()
