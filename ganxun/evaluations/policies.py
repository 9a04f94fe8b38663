"""Who may do what with evaluations and tests. Pages, API and jobs ask these functions.

Anonymity: ONE threshold, the setting ``GANXUN_ANONYMITY_MIN_GROUP`` (default 5), read through
``min_group()``. Every breakdown of results, for every role (by unit, lecturer, course, month, an
org's page, the statistics' satisfaction panel), hides groups with fewer forms, so no single
trainee's rating can be read back from a small group (a county's secretary and county head). A
lecturer sees aggregates of their own sessions only, and only from the threshold on.
Organizers and administrators see each answer, without names unless the deployment's
setting ``GANXUN_EVALUATION_SHOW_NAMES`` allows them.
"""

from django.conf import settings

from ganxun.accounts.models import Role, User
from ganxun.programs.models import MANAGING_ROLES
from ganxun.programs.policies import can_manage_program, teaches

DEFAULT_MIN_GROUP = 5


def min_group() -> int:
    """The anonymity threshold: the fewest forms a shown group may have."""
    return int(getattr(settings, "GANXUN_ANONYMITY_MIN_GROUP", DEFAULT_MIN_GROUP))


def enough(responses: int) -> bool:
    return responses >= min_group()


def can_manage_evaluations(user: User) -> bool:
    return user.has_role(*MANAGING_ROLES)


def can_configure(user: User, program) -> bool:
    return can_manage_program(user, program)


def can_read_answers(user: User, program) -> bool:
    """Per-answer data (without names): the program's organizers and administrators."""
    return can_manage_program(user, program)


def names_visible() -> bool:
    return bool(getattr(settings, "GANXUN_EVALUATION_SHOW_NAMES", False))


def sees_as_lecturer(user: User, session) -> bool:
    """A lecturer of the session who does not also manage its program: aggregates only, and
    only above the threshold."""
    return teaches(user, session) and not can_manage_program(user, session.program)


def can_see_session_results(user: User, session) -> bool:
    return can_manage_evaluations(user) or teaches(user, session)


def enough_for_lecturer(responses: int) -> bool:
    return enough(responses)


def can_see_lecturer_results(user: User, lecturer) -> bool:
    """Organizers see any lecturer they can see; a lecturer sees their own pool entry."""
    if can_manage_evaluations(user):
        return True
    return (
        user.has_role(Role.LECTURER) and bool(user.cadre_id) and lecturer.cadre_id == user.cadre_id
    )


def can_answer(user: User) -> bool:
    """Any signed-in account linked to a roster cadre; attendance is checked per session."""
    return bool(user.is_authenticated and user.cadre_id)
