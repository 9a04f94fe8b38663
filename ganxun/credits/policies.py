"""Who may do what with credits. Pages, API, jobs and the CLI all ask these functions."""

from ganxun.accounts.models import Role

VIEWERS = (Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)


def can_view_compliance(user) -> bool:
    """Compliance of the user's subtree (学时达标)."""
    return user.has_role(*VIEWERS)


def can_record_credits(user) -> bool:
    """Record manual entries, reverse entries and import external learning records for cadres
    of the user's subtree."""
    return user.has_role(Role.ADMIN, Role.UNIT_CONTACT)


def can_manage_rules(user) -> bool:
    """Requirements and crediting rules apply to the whole tree: administrators only."""
    return user.has_role(Role.ADMIN)


def can_set_program_bonus(user, program) -> bool:
    from ganxun.programs.policies import can_manage_program

    return can_manage_program(user, program)
