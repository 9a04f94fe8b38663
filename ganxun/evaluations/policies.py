"""Who may do what with evaluations and tests. Pages, API and jobs ask these functions.

Anonymity toward lecturers: a lecturer sees aggregates of their own sessions only, and only once
at least ``LECTURER_MIN_RESPONSES`` trainees answered, so no single trainee's rating can be read
back. Organizers and administrators see each answer, without names unless the deployment's
setting ``GANXUN_EVALUATION_SHOW_NAMES`` allows them.
"""

from django.conf import settings

from ganxun.accounts.models import Role
from ganxun.programs.models import MANAGING_ROLES
from ganxun.programs.policies import can_manage_program, teaches

LECTURER_MIN_RESPONSES = 5


def can_manage_evaluations(user) -> bool:
    return user.has_role(*MANAGING_ROLES)


def can_configure(user, program) -> bool:
    return can_manage_program(user, program)


def can_read_answers(user, program) -> bool:
    """Per-answer data (without names): the program's organizers and administrators."""
    return can_manage_program(user, program)


def names_visible() -> bool:
    return bool(getattr(settings, "GANXUN_EVALUATION_SHOW_NAMES", False))


def sees_as_lecturer(user, session) -> bool:
    """A lecturer of the session who does not also manage its program: aggregates only, and
    only above the threshold."""
    return teaches(user, session) and not can_manage_program(user, session.program)


def can_see_session_results(user, session) -> bool:
    return can_manage_evaluations(user) or teaches(user, session)


def enough_for_lecturer(responses: int) -> bool:
    return responses >= LECTURER_MIN_RESPONSES


def can_see_lecturer_results(user, lecturer) -> bool:
    """Organizers see any lecturer they can see; a lecturer sees their own pool entry."""
    if can_manage_evaluations(user):
        return True
    return (
        user.has_role(Role.LECTURER) and bool(user.cadre_id) and lecturer.cadre_id == user.cadre_id
    )


def can_answer(user) -> bool:
    """Any signed-in account linked to a roster cadre; attendance is checked per session."""
    return bool(user.is_authenticated and user.cadre_id)
