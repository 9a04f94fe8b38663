"""Who may see and change the org tree and the roster (pages, API, import jobs and exports)."""

from typing import TYPE_CHECKING

from ganxun.core.roles import Role, can_view_audit

if TYPE_CHECKING:
    from ganxun.accounts.models import User

ROSTER_VIEWERS = (Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)
ROSTER_EDITORS = (Role.ADMIN, Role.UNIT_CONTACT)
SENSITIVE_VIEWERS = (Role.ADMIN, Role.UNIT_CONTACT)


def can_view_roster(user: "User") -> bool:
    return user.has_role(*ROSTER_VIEWERS)


def can_edit_roster(user: "User") -> bool:
    return user.has_role(*ROSTER_EDITORS)


def can_see_full_id_number(user: "User") -> bool:
    return user.has_role(*SENSITIVE_VIEWERS)


def can_reveal_id_number(user: "User", cadre) -> bool:
    """One person's full number, on request: roles that may see numbers, or the person."""
    return can_see_full_id_number(user) or (cadre.pk is not None and cadre.pk == user.cadre_id)


def can_view_orgs(user: "User") -> bool:
    return user.has_role(Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)


def can_manage_orgs(user: "User") -> bool:
    return user.has_role(Role.ADMIN)


def can_create_trainee_accounts(user: "User") -> bool:
    """Open accounts for roster cadres (the roster page's bulk action)."""
    return user.has_role(Role.ADMIN, Role.UNIT_CONTACT)


def can_view_history(user: "User") -> bool:
    """An org's change history, read from the audit log: who may read the log."""
    return can_view_audit(user)
