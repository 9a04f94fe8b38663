"""Who is expected at a session — the one definition check-in, the live board, evaluations and
credits share.

A regular session expects the program's trainees of its batch (all trainees when the session is
for every batch). A self-selectable session (自主选学) expects those who picked it and hold a
seat; the enrollment app extends ``expected_cadres`` for that once seats exist.
"""

from django.db.models import QuerySet

from ganxun.programs.models import ProgramTrainee, Session


def expected_trainees(session: Session) -> QuerySet:
    """ProgramTrainee rows expected at ``session`` (unscoped: callers have checked access)."""
    qs = ProgramTrainee._base_manager.filter(program_id=session.program_id)
    if session.batch:
        qs = qs.filter(batch=session.batch)
    return qs


def expected_cadre_ids(session: Session) -> QuerySet:
    """Cadre ids expected at ``session``, as a subquery-friendly values list."""
    return expected_trainees(session).values_list("cadre_id", flat=True)


def is_expected(session: Session, cadre_id: int) -> bool:
    return expected_trainees(session).filter(cadre_id=cadre_id).exists()
