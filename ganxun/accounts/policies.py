"""Who may manage accounts.

The roster's and the org tree's permissions (opening accounts for roster cadres among them)
live in ``orgs.policies``; who reads the audit log in ``core.roles``. Both are re-exported here
for the account pages."""

from typing import TYPE_CHECKING

from ganxun.core.roles import Role, can_view_audit
from ganxun.orgs.policies import can_create_trainee_accounts

if TYPE_CHECKING:
    from ganxun.accounts.models import User

__all__ = ["can_create_trainee_accounts", "can_manage_users", "can_view_audit"]


def can_manage_users(user: "User") -> bool:
    return user.has_role(Role.ADMIN)
