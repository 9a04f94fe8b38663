"""The seam between programs and the app built on it that enrols people (enrollment).

Programs owns sessions and the one participant list; enrollment owns 自主选学 seats and the
record of timetable changes still to be told (变更待通知). A few program services need those:
a trainee's timetable includes the sessions they hold a seat on, a capacity cannot drop below
the seats given and raising it moves the waitlist up, and every timetable change is recorded
for the notice. Enrollment plugs its functions in when it starts (``EnrollmentConfig.ready``),
so programs calls them explicitly — no signal — without importing the app above it.
"""

from typing import Any, Protocol

from django.db.models import QuerySet

from ganxun.programs.models import ProgramTrainee

# Trainees of these kinds are expected only where they chose to be, not at every session
# (self-selection and walk-ins; the rule of ``enrollment.expected``).
ONLY_OWN_SESSIONS = (ProgramTrainee.Source.SELF_SELECTED, ProgramTrainee.Source.WALK_IN)


class Participation(Protocol):
    def enrolled_seats(self) -> QuerySet: ...
    def seats_promote(self, *, actor, session) -> Any: ...
    def schedule_change_record(self, **kwargs) -> Any: ...
    def session_change_record(self, **kwargs) -> Any: ...
    def expected_cadre_ids(self, session) -> Any: ...
    def trainee_batch_change_record(self, **kwargs) -> Any: ...
    def sessions_added_record(self, **kwargs) -> Any: ...
    def duty_lines(self, *, actor, program, cadre_ids) -> list[str]: ...


_registered: list[Participation] = []


def register(implementation: Participation) -> None:
    _registered[:] = [implementation]


def participation() -> Participation:
    if not _registered:
        raise RuntimeError("No participation registered: is ganxun.enrollment installed?")
    return _registered[0]
