"""Who may do what with programs. Pages, API, jobs and the CLI all ask these functions.

A lecturer account is linked to the faculty pool through the roster: the account's cadre is
the ``Lecturer.cadre`` of its pool entries (the demo's lecturer account is set up that way), so
no second link needs keeping in step.
"""

from ganxun.accounts.models import Role, User
from ganxun.programs.models import MANAGING_ROLES


def can_manage_programs(user: User) -> bool:
    """Create programs and venues (each program also needs ``can_manage_program``)."""
    return user.has_role(*MANAGING_ROLES)


def manages_org(user: User, org) -> bool:
    return user.org is not None and org is not None and org.path.startswith(user.org.path)


def can_manage_program(user: User, program) -> bool:
    """Organizers of the program's org or above; staff below only read it."""
    return can_manage_programs(user) and manages_org(user, program.org)


def can_manage_venue(user: User, venue) -> bool:
    return can_manage_programs(user) and manages_org(user, venue.owner)


def can_review_outlines(user: User) -> bool:
    return user.has_role(Role.REVIEWER)


def is_reviewer_of(user: User, program, reviewer_ids: set[int] | None = None) -> bool:
    ids = reviewer_ids
    if ids is None:
        ids = set(
            program.reviewers.through.objects.filter(program=program).values_list(
                "user_id", flat=True
            )
        )
    return can_review_outlines(user) and user.pk in ids


def can_teach(user: User) -> bool:
    return user.has_role(Role.LECTURER) and bool(user.cadre_id)


def teaches(user: User, session, lecturers=None) -> bool:
    """The account's cadre is one of the session's lecturers."""
    if not can_teach(user):
        return False
    if lecturers is None:
        through = session.lecturers.through.objects.filter(session_id=session.pk)
        return through.filter(lecturer__cadre_id=user.cadre_id).exists()
    return any(lec.cadre_id == user.cadre_id for lec in lecturers)


def can_submit_outline(user: User, session, lecturers=None) -> bool:
    """The lecturer, or the organizer on the lecturer's behalf (a leader's office often sends
    the outline to the school, which uploads it)."""
    return teaches(user, session, lecturers) or can_manage_program(user, session.program)


def is_trainee(user: User) -> bool:
    return user.has_role(Role.TRAINEE) and bool(user.cadre_id)


def can_use_programs(user: User) -> bool:
    return (
        can_manage_programs(user)
        or can_review_outlines(user)
        or can_teach(user)
        or is_trainee(user)
    )
