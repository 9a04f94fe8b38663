"""Who may do what with follow-ups, outcomes, graduation and certificates."""

from ganxun.accounts.models import Role, User
from ganxun.programs import policies as programs


def can_manage(user: User, program) -> bool:
    """Organizers of the program's org or above: follow-ups, reviews, graduation."""
    return programs.can_manage_program(user, program)


def can_see_summary(user: User) -> bool:
    return programs.can_manage_programs(user)


def is_trainee(user: User) -> bool:
    return programs.is_trainee(user)


def is_unit_contact(user: User) -> bool:
    return user.has_role(Role.UNIT_CONTACT) and user.org_id is not None


def can_submit_outcomes(user: User) -> bool:
    """Trainees file their own outcomes; unit contacts file their units' (on a phone too)."""
    return is_trainee(user) or is_unit_contact(user)


def can_use_outcomes(user: User) -> bool:
    return can_submit_outcomes(user) or programs.can_manage_programs(user)


def can_revise(user: User, outcome) -> bool:
    return outcome.can_revise and outcome.submitted_by_id == user.pk
