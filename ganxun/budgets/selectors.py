"""Every read of budgets, cut to what the actor may see, with the figures a budget page shows.

Figures of a list come from a fixed number of queries whatever its length: sums by source and
by category are one GROUP BY each over all budgets listed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from ganxun.budgets.models import Budget, Expense, ExpenseCategory, Income, IncomeSource
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.programs.hours import grouped_hours
from ganxun.programs.models import Program, ProgramTrainee, Session

if TYPE_CHECKING:
    from ganxun.accounts.models import User

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")


def cents(value) -> Decimal:
    """Money rounds half up to the cent, as accounts do (not banker's rounding)."""
    return Decimal(value or 0).quantize(ZERO, rounding=ROUND_HALF_UP)


def rate_of(spent: Decimal, amount: Decimal) -> Decimal | None:
    if not amount:
        return None
    return (spent * 100 / amount).quantize(TENTH, rounding=ROUND_HALF_UP)


def budget_list(actor: "User", *, year: int | None = None, org=None) -> QuerySet[Budget]:
    qs = Budget.objects.visible_to(actor).select_related("org", "program")
    if year:
        qs = qs.filter(year=year)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def get_budget_for(actor: "User", pk) -> Budget:
    return _get(Budget.objects.visible_to(actor).select_related("org", "program"), pk)


def get_expense_for(actor: "User", pk) -> Expense:
    return _get(Expense.objects.visible_to(actor).select_related("budget__org"), pk)


def get_income_for(actor: "User", pk) -> Income:
    return _get(Income.objects.visible_to(actor).select_related("budget__org"), pk)


def program_budget(actor: "User", program: Program) -> Budget | None:
    return Budget.objects.visible_to(actor).filter(program=program).first()


def budget_years(actor: "User") -> list[int]:
    return sorted(
        set(Budget.objects.visible_to(actor).values_list("year", flat=True)), reverse=True
    )


@dataclass
class Figures:
    """A budget's money and what it bought. 人次 of a program = its confirmed trainees
    (``ProgramTrainee`` rows); 学时 = the 学时 of its scheduled sessions (``core.hours``,
    summed by ``programs.hours``)."""

    budget: Budget
    income: Decimal = ZERO
    spent: Decimal = ZERO
    by_source: dict[str, Decimal] = field(default_factory=dict)
    by_category: dict[str, Decimal] = field(default_factory=dict)
    person_times: int = 0
    hours: Decimal = Decimal("0.0")

    @property
    def rate(self) -> Decimal | None:
        """执行率 = spent / budgeted amount, in percent (None when nothing was budgeted)."""
        return rate_of(self.spent, self.budget.amount)

    @property
    def balance(self) -> Decimal:
        return self.budget.amount - self.spent

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget.amount

    @property
    def per_person_time(self) -> Decimal | None:
        return cents(self.spent / self.person_times) if self.person_times else None

    @property
    def per_hour(self) -> Decimal | None:
        return cents(self.spent / self.hours) if self.hours else None

    def source_rows(self) -> list[tuple[str, Decimal]]:
        return [(str(label), self.by_source.get(v, ZERO)) for v, label in IncomeSource.choices]

    def category_rows(self) -> list[tuple[str, Decimal]]:
        return [(str(label), self.by_category.get(v, ZERO)) for v, label in ExpenseCategory.choices]


def budget_figures(budgets) -> list[Figures]:
    """Figures of many budgets in five queries. A program budget counts its program; an annual
    budget (no program) counts the programs its org itself runs that start in its year."""
    budgets = list(budgets)
    out = {b.pk: Figures(b) for b in budgets}
    for row in (
        children_of(budgets, Income, "budget")
        .values("budget_id", "source")
        .annotate(s=Sum("amount"))
    ):
        fig = out[row["budget_id"]]
        fig.by_source[row["source"]] = cents(row["s"])
        fig.income += cents(row["s"])
    expenses = children_of(budgets, Expense, "budget")
    for row in expenses.values("budget_id", "category").annotate(s=Sum("amount")):
        fig = out[row["budget_id"]]
        fig.by_category[row["category"]] = cents(row["s"])
        fig.spent += cents(row["s"])
    _attach_output(budgets, out)
    return [out[b.pk] for b in budgets]


def _attach_output(budgets: list[Budget], out: dict[int, Figures]) -> None:
    """人次 and 学时 per budget, from the programs each budget covers."""
    covers: dict[int, list[int]] = {}
    annual = [b for b in budgets if b.program_id is None]
    for b in budgets:
        if b.program_id:
            covers.setdefault(b.program_id, []).append(b.pk)
    if annual:
        match = Q()
        for b in annual:
            match |= Q(org_id=b.org_id, start_year=b.year)
        rows = (
            # scope: counted for budgets the caller holds: the programs each annual budget covers
            Program._base_manager.annotate(start_year=ExtractYear("start_date"))
            .filter(match)
            .values_list("pk", "org_id", "start_year")
        )
        by_key = {(b.org_id, b.year): b.pk for b in annual}
        for pk, org_id, year in rows:
            covers.setdefault(pk, []).append(by_key[(org_id, year)])
    if not covers:
        return
    trainees = (
        # scope: counts only, over the programs covered by budgets the caller holds
        ProgramTrainee._base_manager.filter(program_id__in=list(covers))
        .values("program_id")
        .annotate(n=Count("pk"))
    )
    for counted in trainees:
        for budget_id in covers[counted["program_id"]]:
            out[budget_id].person_times += counted["n"]
    # scope: hours only, over the programs covered by budgets the caller holds
    sessions = Session._base_manager.filter(program_id__in=list(covers))
    for row in grouped_hours(sessions, ("program_id",)):
        for budget_id in covers[row["program_id"]]:
            out[budget_id].hours += row["hours"]


def budget_incomes(budget: Budget) -> QuerySet[Income]:
    return children_of(budget, Income, "budget").select_related("created_by").order_by("date", "id")


def budget_expenses(budget: Budget) -> QuerySet[Expense]:
    return (
        children_of(budget, Expense, "budget").select_related("created_by").order_by("date", "id")
    )


@dataclass
class Execution:
    """Budget execution of a subtree over some years (the statistics panel)."""

    budgets: int = 0
    amount: Decimal = ZERO
    income: Decimal = ZERO
    spent: Decimal = ZERO
    over_budget: int = 0
    by_source: dict[str, Decimal] = field(default_factory=dict)
    by_category: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.spent, self.amount)

    def category_rows(self) -> list[tuple[str, Decimal]]:
        return [(str(label), self.by_category.get(v, ZERO)) for v, label in ExpenseCategory.choices]

    def source_rows(self) -> list[tuple[str, Decimal]]:
        return [(str(label), self.by_source.get(v, ZERO)) for v, label in IncomeSource.choices]

    def summary(self) -> dict:
        return {
            "budgets": self.budgets,
            "amount": self.amount,
            "income": self.income,
            "spent": self.spent,
            "rate": self.rate,
            "over_budget": self.over_budget,
            "by_source": dict(self.source_rows()),
        }


def execution_summary(node, years: list[int]) -> Execution:
    """Four GROUP BY queries over the budgets of ``node``'s subtree in ``years`` (the caller
    checked the node is the actor's)."""
    # scope: the subtree of a node the caller already checked the reader may see
    budgets = Budget._base_manager.filter(org__path__startswith=node.path, year__in=years)
    out = Execution()
    row = budgets.aggregate(n=Count("id"), s=Sum("amount"))
    out.budgets, out.amount = row["n"], cents(row["s"])
    incomes = children_of(budgets, Income, "budget").order_by()
    for source, s in incomes.values_list("source").annotate(s=Sum("amount")):
        out.by_source[source] = cents(s)
        out.income += cents(s)
    expenses = children_of(budgets, Expense, "budget").order_by()
    for category, s in expenses.values_list("category").annotate(s=Sum("amount")):
        out.by_category[category] = cents(s)
        out.spent += cents(s)
    spent = expenses.values("budget_id").annotate(s=Sum("amount")).values("budget_id", "s")
    amounts = dict(budgets.values_list("pk", "amount"))
    out.over_budget = sum(1 for r in spent if r["s"] > amounts[r["budget_id"]])
    return out
