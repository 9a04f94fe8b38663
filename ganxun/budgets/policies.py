"""Who may do what with budgets. Pages, CLI and exports all ask these functions.

The organization department (admin) and the party school or training office (organizer) keep
the budgets of their own subtree; staff below only see theirs.
"""

from typing import TYPE_CHECKING

from ganxun.budgets.models import BUDGET_ROLES

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def can_use_budgets(user: "User") -> bool:
    return user.has_role(*BUDGET_ROLES)


def manages_org(user: "User", org) -> bool:
    return user.org is not None and org is not None and org.path.startswith(user.org.path)


def can_manage_budget(user: "User", budget) -> bool:
    return can_use_budgets(user) and manages_org(user, budget.org)
