"""Who may do what with follow-ups, outcomes, graduation and certificates."""

from ganxun.accounts.models import Role
from ganxun.programs import policies as programs


def can_manage(user, program) -> bool:
    """Organizers of the program's org or above: follow-ups, reviews, graduation."""
    return programs.can_manage_program(user, program)


def can_see_summary(user) -> bool:
    return programs.can_manage_programs(user)


def is_trainee(user) -> bool:
    return programs.is_trainee(user)


def is_unit_contact(user) -> bool:
    return user.has_role(Role.UNIT_CONTACT) and user.org_id is not None


def can_submit_outcomes(user) -> bool:
    """Trainees file their own outcomes; unit contacts file their units' (on a phone too)."""
    return is_trainee(user) or is_unit_contact(user)


def can_use_outcomes(user) -> bool:
    return can_submit_outcomes(user) or programs.can_manage_programs(user)


def can_revise(user, outcome) -> bool:
    return outcome.can_revise and outcome.submitted_by_id == user.pk
