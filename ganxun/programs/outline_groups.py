"""Which sessions share one outline (授课提纲): the same course taught by the same lecturer in
the same program — batch 1 and batch 2 of a class — submit and review it once.

The outline's versions are kept on one session of the group (the first that got one, the
"holder"); every session of the group carries the same ``outline_status``. A session without a
course or without a lecturer stands alone.
"""

from django.db.models import Min

from ganxun.programs.models import Outline, Session


def outline_siblings(session: Session) -> list[Session]:
    """The session and every scheduled session sharing its outline, earliest first."""
    if not session.course_id:
        return [session]
    lecturers = Session.lecturers.through.objects.filter(session_id=session.pk).values(
        "lecturer_id"
    )
    ids = set(
        # scope: siblings (same program and course) of a session the caller holds
        Session._base_manager.filter(
            program_id=session.program_id,
            course_id=session.course_id,
            status=Session.Status.SCHEDULED,
            lecturers__in=lecturers,
        ).values_list("pk", flat=True)
    )
    ids.discard(session.pk)
    if not ids:
        return [session]
    # scope: the ids just read under the held session's program
    others = list(Session._base_manager.filter(pk__in=ids).select_related("program"))
    return sorted([session, *others], key=lambda s: (s.starts_at, s.pk))


def outline_holder(siblings: list[Session]) -> Session:
    """The session of the group whose outline versions are on record (else the earliest)."""
    # scope: outlines of the held sessions
    held = Outline._base_manager.filter(session__in=[s.pk for s in siblings]).aggregate(
        first=Min("session_id")
    )["first"]
    return next((s for s in siblings if s.pk == held), siblings[0])
