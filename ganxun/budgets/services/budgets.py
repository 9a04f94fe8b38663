"""Budgets: create, change, close and reopen. One transaction each, audited."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.budgets import policies
from ganxun.budgets.errors import BudgetError
from ganxun.budgets.models import Budget
from ganxun.budgets.services.common import clean_text, money, record, require_manager
from ganxun.core.audit import snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import refetch
from ganxun.orgs.models import Org
from ganxun.programs.models import Program

if TYPE_CHECKING:
    from ganxun.accounts.models import User

FIELDS = ["org", "program", "year", "title", "amount", "note", "status"]
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class BudgetData:
    title: str
    year: int
    amount: str | int | float | Decimal  # text or a number; parsed by ``money``
    note: str = ""
    program: Program | None = None
    org: Org | None = None


def _validate(actor: "User", data: BudgetData) -> BudgetData:
    data.title = clean_text(data.title, field="title", label=_("预算名称"), max_length=200)
    data.note = clean_text(data.note, field="note", label=_("备注"), required=False, max_length=500)
    data.amount = money(data.amount, field="amount", label=_("预算金额"), allow_zero=True)
    if not isinstance(data.year, int) or not MIN_YEAR <= data.year <= MAX_YEAR:
        raise BudgetError(
            "invalid_year",
            _("年度应在 %(min)s 到 %(max)s 之间。") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    if data.program is not None:
        # A program's money is kept by the org that runs it.
        data.org = data.program.org
    data.org = data.org or actor.org
    if not policies.can_use_budgets(actor) or not policies.manages_org(actor, data.org):
        raise PermissionDenied()
    return data


@transaction.atomic
def budget_create(*, actor: "User", data: BudgetData) -> Budget:
    data = _validate(actor, data)
    budget = Budget(
        org=data.org,
        program=data.program,
        year=data.year,
        title=data.title,
        amount=data.amount,
        note=data.note,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError as exc:
        raise BudgetError(
            "duplicate_budget", _("该培训项目已有经费预算，请在原预算中登记。"), field="program"
        ) from exc
    record(actor, "create", budget, {}, snapshot(budget, FIELDS))
    return budget


@transaction.atomic
def budget_update(*, actor: "User", budget: Budget, data: BudgetData) -> Budget:
    budget = locked(budget)
    require_manager(actor, budget)
    data.program = budget.program  # a budget stays with its program
    data = _validate(actor, data)
    before = snapshot(budget, FIELDS)
    budget.title, budget.year, budget.amount, budget.note = (
        data.title,
        data.year,
        data.amount,
        data.note,
    )
    if budget.year != before["year"] and budget.expenses.exists():
        raise BudgetError(
            "year_in_use", _("预算已登记支出，不能再改年度（凭证号按年度编排）。"), field="year"
        )
    budget.save()
    record(actor, "update", budget, before, snapshot(budget, FIELDS))
    return budget


@transaction.atomic
def budget_close(*, actor: "User", budget: Budget) -> Budget:
    """结账: no more income or expenses until reopened. The row lock makes an expense saved at
    the same moment either land before the close or be refused after it."""
    budget = locked(budget)
    require_manager(actor, budget)
    if budget.is_closed:
        raise BudgetError("already_closed", _("该预算已经结账。"))
    before = snapshot(budget, FIELDS)
    budget.status, budget.closed_at = Budget.Status.CLOSED, timezone.now()
    budget.save(update_fields=["status", "closed_at"])
    record(actor, "close", budget, before, snapshot(budget, FIELDS))
    return budget


@transaction.atomic
def budget_reopen(*, actor: "User", budget: Budget) -> Budget:
    budget = locked(budget)
    require_manager(actor, budget)
    if not budget.is_closed:
        raise BudgetError("not_closed", _("该预算尚未结账。"))
    before = snapshot(budget, FIELDS)
    budget.status, budget.closed_at = Budget.Status.OPEN, None
    budget.save(update_fields=["status", "closed_at"])
    record(actor, "reopen", budget, before, snapshot(budget, FIELDS))
    return budget


def locked(budget: Budget) -> Budget:
    """The budget's row, locked for the rest of the transaction."""
    return refetch(budget, lock=True, related=("org", "program"))
