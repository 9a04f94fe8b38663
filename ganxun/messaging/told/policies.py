"""Who may see who was told, and resend: administrators and organizers of the message's (or
the program's) org subtree — the same people who may manage the program. Everybody signed in
sees their own notice history."""

from typing import TYPE_CHECKING

from ganxun.core.roles import Role

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def can_see_told(user: "User") -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN, Role.ORGANIZER)


def manages(user: "User", org) -> bool:
    root = getattr(user, "org", None)
    return root is not None and org is not None and org.path.startswith(root.path)


def can_see_program_told(user: "User", program) -> bool:
    return can_see_told(user) and manages(user, program.org)


def can_resend(user: "User", message) -> bool:
    """Message rows are already narrowed to the user's subtree (``Message.scope_q``)."""
    return can_see_told(user)


def can_see_own_history(user: "User") -> bool:
    return user.is_authenticated
