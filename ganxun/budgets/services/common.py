"""Checks the budgets services share: money, text, permission."""

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ganxun.budgets import policies
from ganxun.budgets.errors import BudgetError
from ganxun.budgets.models import CENT
from ganxun.core import services as core_services
from ganxun.core.errors import PermissionDenied
from ganxun.core.services import record

if TYPE_CHECKING:
    from ganxun.accounts.models import User

__all__ = ["clean_text", "money", "record", "require_manager", "require_open"]

MAX_AMOUNT = Decimal("999999999999.99")


def clean_text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=BudgetError, **kwargs)


def money(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """Yuan with at most two decimals; refuses negative (and zero unless allowed), NaN, floats
    that cannot be written exactly, and sums beyond the column."""
    if isinstance(value, float):  # a float has already lost cents; insist on text or Decimal
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise BudgetError(
            "invalid_amount", _("%(label)s应是数字，如 12800.50。") % {"label": label}, field=field
        ) from exc
    if not amount.is_finite():
        raise BudgetError(
            "invalid_amount", _("%(label)s应是数字，如 12800.50。") % {"label": label}, field=field
        )
    if amount < 0:
        raise BudgetError(
            "negative_amount", _("%(label)s不能为负数。") % {"label": label}, field=field
        )
    if amount == 0 and not allow_zero:
        raise BudgetError("zero_amount", _("%(label)s应大于 0。") % {"label": label}, field=field)
    if amount > MAX_AMOUNT:  # before quantize, which cannot hold 1e309 (InvalidOperation)
        raise BudgetError(
            "too_large", _("%(label)s超出可记录的范围。") % {"label": label}, field=field
        )
    if amount != amount.quantize(CENT):
        raise BudgetError(
            "too_precise", _("%(label)s最多保留两位小数（分）。") % {"label": label}, field=field
        )
    return amount.quantize(CENT)


def require_manager(actor: "User", budget) -> None:
    if not policies.can_manage_budget(actor, budget):
        raise PermissionDenied()


def require_open(budget, what: str) -> None:
    if budget.is_closed:
        raise BudgetError(
            "budget_closed",
            _("该预算已结账，不能再%(what)s。如需更正，请先重新开账。") % {"what": what},
        )
