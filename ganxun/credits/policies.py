"""Who may do what with credits. Pages, API, jobs and the CLI all ask these functions."""

from ganxun.accounts.models import Role, User
from ganxun.programs.policies import can_manage_program

VIEWERS = (Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)


def can_view_compliance(user: User) -> bool:
    """Compliance of the user's subtree (学时达标)."""
    return user.has_role(*VIEWERS)


def can_record_credits(user: User) -> bool:
    """Record manual entries, reverse entries and import external learning records for cadres
    of the user's subtree."""
    return user.has_role(Role.ADMIN, Role.UNIT_CONTACT)


def can_manage_rules(user: User) -> bool:
    """Administrators keep their own org's requirements (a county adds its own on top of the
    city's: tightening only); see ``can_edit_requirement`` for one rule."""
    return user.has_role(Role.ADMIN)


def owns_city_rules(user: User) -> bool:
    """The crediting settings (the 学时 definition among them), the city-wide requirements,
    restoring the national defaults and the whole-tree recompute belong to the root
    organization: its administrators only."""
    org = getattr(user, "org", None)
    return user.has_role(Role.ADMIN) and org is not None and org.parent_id is None


def can_edit_requirement(user: User, requirement) -> bool:
    """Only the owner's administrators change a requirement."""
    if not user.has_role(Role.ADMIN):
        return False
    if requirement.org_id is None:
        return owns_city_rules(user)
    return requirement.org_id == user.org_id


def can_set_program_bonus(user: User, program) -> bool:
    return can_manage_program(user, program)
