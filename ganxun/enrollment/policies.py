"""Who may do what in enrollment. Pages, API and services all ask these functions."""

from ganxun.accounts.models import Role, User
from ganxun.programs import policies as program_policies


def can_manage_quotas(user: User, program) -> bool:
    """Set quotas, confirm or return nominations, read the leave list: the program's organizers."""
    return program_policies.can_manage_program(user, program)


def is_contact(user: User) -> bool:
    return user.has_role(Role.UNIT_CONTACT, Role.ADMIN) and user.org is not None


def can_nominate_for(user: User, quota) -> bool:
    """The contact (or administrator) of the quota's unit or of a unit above it."""
    if not is_contact(user):
        return False
    assert user.org is not None  # is_contact requires an org
    return quota.org.path.startswith(user.org.path)


def can_decide_leave_as_contact(user: User, cadre) -> bool:
    """The contact of the cadre's unit or of a unit above it."""
    if not is_contact(user):
        return False
    assert user.org is not None  # is_contact requires an org
    return cadre.unit.path.startswith(user.org.path)


def is_trainee(user: User) -> bool:
    return program_policies.is_trainee(user)


def can_select(user: User) -> bool:
    return is_trainee(user)


def may_pick_in(cadre, program) -> bool:
    """Self-selection is open to cadres of the organizing org's subtree."""
    return cadre.unit.path.startswith(program.org.path)


def can_read_inbox(user: User) -> bool:
    return user.is_authenticated and user.is_active


def has_inbox(user: User) -> bool:
    """我的消息 in the menu: trainees and lecturers (notices about their classes and
    teaching); everyone else reaches it from the home page tiles."""
    return user.has_role(Role.TRAINEE, Role.LECTURER)
