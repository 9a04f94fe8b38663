"""Every write of online learning: one transaction each, audited (progress reports excepted:
the rows say who watched what and when, like check-in scans). Views and the API call these."""

from ganxun.learning.services.courses import (
    CourseData,
    course_create,
    course_update,
    enroll,
    lesson_add,
    lesson_upload,
)
from ganxun.learning.services.progress import (
    PlayStart,
    ReportOutcome,
    play_start,
    progress_report,
)

__all__ = [
    "CourseData",
    "PlayStart",
    "ReportOutcome",
    "course_create",
    "course_update",
    "enroll",
    "lesson_add",
    "lesson_upload",
    "play_start",
    "progress_report",
]
