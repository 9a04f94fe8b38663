"""Who is expected at a session — the one definition check-in, the live board, evaluations and
credits share.

A regular session expects the program's trainees of its batch (all trainees when the session is
for every batch), except those who joined the program only through self-selection (自主选学):
they come to the sessions they picked; nor walk-ins (现场旁听), who came to one session. A
self-selectable session expects the cadres holding an
enrolled seat on it (waitlisted and cancelled picks are not expected).
"""

from django.db.models import QuerySet

from ganxun.core.scoping import children_of
from ganxun.enrollment.models import Seat
from ganxun.programs.models import ProgramTrainee, Session
from ganxun.programs.participation import ONLY_OWN_SESSIONS


def expected_trainees(session: Session) -> QuerySet:
    """ProgramTrainee rows expected at ``session`` (unscoped: callers have checked access)."""
    # scope: the trainees of a held session's program, by id: no extra read on check-in's path
    qs = ProgramTrainee._base_manager.filter(program_id=session.program_id)
    if session.self_selectable:
        seated = children_of(session, Seat, "session").filter(status=Seat.Status.ENROLLED)
        return qs.filter(cadre_id__in=seated.values("cadre_id"))
    qs = qs.exclude(source__in=ONLY_OWN_SESSIONS)
    if session.batch:
        qs = qs.filter(batch=session.batch)
    return qs


def expected_cadre_ids(session: Session) -> QuerySet:
    """Cadre ids expected at ``session``, as a subquery-friendly values list."""
    return expected_trainees(session).values_list("cadre_id", flat=True)


def is_expected(session: Session, cadre_id: int) -> bool:
    return expected_trainees(session).filter(cadre_id=cadre_id).exists()
