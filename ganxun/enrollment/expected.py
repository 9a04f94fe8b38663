"""Who is expected at a session — the one definition check-in, the live board, evaluations and
credits share.

A regular session expects the program's trainees of its batch (all trainees when the session is
for every batch), except those who joined the program only through self-selection (自主选学):
they come to the sessions they picked; nor walk-ins (现场旁听), who came to one session. A
self-selectable session expects the cadres holding an
enrolled seat on it (waitlisted and cancelled picks are not expected).
"""

from django.db import connection
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


def expected_sql(session: Session, cadre_id: int) -> tuple[str, list]:
    """``expected_trainees(session).filter(cadre_id=cadre_id)`` as SQL written once (check-in's
    ``WHERE EXISTS``): a scan runs it every time, and compiling the queryset cost more than the
    database took to run it (issue 19). The same rule: tests/checkin/test_expected_sql.py
    compares the two on every kind of session."""
    qn = connection.ops.quote_name
    trainees = qn(ProgramTrainee._meta.db_table)
    head = f"SELECT 1 FROM {trainees} WHERE {qn('program_id')} = %s AND {qn('cadre_id')} = %s"
    params: list = [session.program_id, cadre_id]
    if session.self_selectable:
        seats = qn(Seat._meta.db_table)
        seated = (
            f"SELECT {qn('cadre_id')} FROM {seats}"
            f" WHERE {qn('session_id')} = %s AND {qn('status')} = %s"
        )
        return f"{head} AND {qn('cadre_id')} IN ({seated})", [
            *params,
            session.pk,
            Seat.Status.ENROLLED.value,
        ]
    own = ", ".join(["%s"] * len(ONLY_OWN_SESSIONS))
    sql = f"{head} AND NOT ({qn('source')} IN ({own}))"
    params += [source.value for source in ONLY_OWN_SESSIONS]
    if session.batch:
        sql += f" AND {qn('batch')} = %s"
        params.append(session.batch)
    return sql, params


def expected_cadre_ids(session: Session) -> QuerySet:
    """Cadre ids expected at ``session``, as a subquery-friendly values list."""
    return expected_trainees(session).values_list("cadre_id", flat=True)


def is_expected(session: Session, cadre_id: int) -> bool:
    return expected_trainees(session).filter(cadre_id=cadre_id).exists()


def expected_pairs(cadre_ids, sessions: QuerySet) -> set[tuple[int, int]]:
    """(cadre id, session id) for each of ``sessions`` at which each of ``cadre_ids`` is
    expected: the rule of ``expected_trainees`` read from the trainees' side, for many sessions
    and people in two queries (duty coverage across programs). ``cadre_ids`` and ``sessions``
    may be subqueries; callers have checked access."""
    from django.db.models import Exists, F, OuterRef, Q

    regular = (
        # scope: the enrolments of the given cadres (the caller's authorised cut)
        ProgramTrainee._base_manager.filter(cadre_id__in=cadre_ids)
        .exclude(source__in=ONLY_OWN_SESSIONS)
        # one filter() call: every condition on the same joined session
        .filter(
            Q(program__sessions__batch__isnull=True) | Q(program__sessions__batch=F("batch")),
            program__sessions__in=sessions.filter(self_selectable=False).values("pk"),
        )
        .values_list("cadre_id", "program__sessions")
    )
    # scope: the program rows of the seated cadres, by id
    in_program = ProgramTrainee._base_manager.filter(
        program_id=OuterRef("session__program_id"), cadre_id=OuterRef("cadre_id")
    )
    seated = (
        # scope: the seats of the given cadres on the given sessions
        Seat._base_manager.filter(
            cadre_id__in=cadre_ids,
            status=Seat.Status.ENROLLED,
            session__in=sessions.filter(self_selectable=True).values("pk"),
        )
        .filter(Exists(in_program))
        .values_list("cadre_id", "session_id")
    )
    return set(regular) | set(seated)
