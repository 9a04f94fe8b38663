"""Who may do what with check-in. Pages, API and tests ask these functions."""

from ganxun.accounts.models import User
from ganxun.programs import policies as programs_policies


def can_run_checkin(user: User, session) -> bool:
    """Projector, board, desk, sheet and the kiosk API: the program's organizers."""
    return programs_policies.can_manage_program(user, session.program)


def can_run_any_checkin(user: User) -> bool:
    return programs_policies.can_manage_programs(user)


def can_scan(user: User) -> bool:
    """Scanning checks in the account's own cadre, so the account must be linked to one."""
    return user.is_active and bool(user.cadre_id)
