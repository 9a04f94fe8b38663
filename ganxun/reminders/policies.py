"""Who may switch reminders and chase. Pages and services ask these functions."""

from ganxun.accounts.models import User
from ganxun.programs import policies as program_policies
from ganxun.programs.models import MANAGING_ROLES


def can_configure_reminders(user: User) -> bool:
    """Organizers and administrators, for their own subtree."""
    return user.has_role(*MANAGING_ROLES)


def can_configure_org(user: User, org) -> bool:
    return can_configure_reminders(user) and program_policies.manages_org(user, org)


def can_configure_program(user: User, program) -> bool:
    return program_policies.can_manage_program(user, program)
