"""Requirements applied to aggregated hours — pure Python, no queries.

The selectors aggregate the ledger per (cadre, channel) in SQL (one GROUP BY for a whole unit
or province) and hand each cadre's hours to ``shortfalls``, one pass over the rows.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ganxun.credits.models import Requirement


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    ranks: frozenset[str]
    five_years: bool
    required: float  # 学时
    channels: frozenset[int]  # empty = every channel counts
    caps: dict[int, float]  # channel → most 学时 it may contribute
    source: str
    source_url: str
    amount_label: str
    org_path: str = ""  # the owner's subtree ("" = city-wide); a county's rule adds to the city's

    def applies_to(self, rank: str, path: str) -> bool:
        return rank in self.ranks and path.startswith(self.org_path)

    def counted(self, by_channel: dict[int, float]) -> float:
        total = 0.0
        for channel, hours in by_channel.items():
            if self.channels and channel not in self.channels:
                continue
            cap = self.caps.get(channel)
            total += hours if cap is None else min(hours, cap)
        return total


def build_rules(requirements, hours_per_day: Decimal) -> list[Rule]:
    rules = []
    for r in requirements:
        required = float(r.amount * (hours_per_day if r.unit == Requirement.Unit.DAYS else 1))
        amount = f"{r.amount.normalize():f}"
        if r.unit == Requirement.Unit.DAYS:
            label = _("%(amount)s 天（%(hours)s 学时）") % {
                "amount": amount,
                "hours": f"{required:g}",
            }
        else:
            label = _("%(amount)s 学时") % {"amount": amount}
        rules.append(
            Rule(
                id=r.pk,
                name=r.name,
                ranks=frozenset(r.ranks or ()),
                five_years=r.period == Requirement.Period.FIVE_YEARS,
                required=required,
                channels=frozenset(int(c) for c in r.channels or ()),
                caps={int(c): float(share) * required for c, share in (r.caps or {}).items()},
                source=r.source,
                source_url=r.source_url,
                amount_label=label,
                org_path=r.org.path if r.org_id and r.org.parent_id else "",
            )
        )
    return rules


@dataclass(frozen=True)
class Gap:
    rule: Rule
    counted: float
    required: float

    @property
    def missing(self) -> float:
        return max(self.required - self.counted, 0.0)


@dataclass
class Hours:
    """One cadre's hours by channel: in the year, and in the five years ending with it."""

    year: dict[int, float] = field(default_factory=dict)
    five: dict[int, float] = field(default_factory=dict)

    def add(self, channel: int, year_hours, five_hours) -> None:
        if year_hours:
            self.year[channel] = float(year_hours)
        if five_hours:
            self.five[channel] = float(five_hours)


EMPTY = Hours()


def evaluate(rules: list[Rule], rank: str, hours: Hours, path: str) -> list[Gap]:
    """Every requirement applicable to a cadre of this rank whose unit has this org path (the
    city's and those of the orgs above the cadre), with what counts towards it (caps applied)."""
    return [
        Gap(rule, rule.counted(hours.five if rule.five_years else hours.year), rule.required)
        for rule in rules
        if rule.applies_to(rank, path)
    ]


def shortfalls(rules: list[Rule], rank: str, hours: Hours, path: str) -> list[Gap]:
    return [gap for gap in evaluate(rules, rank, hours, path) if gap.missing > 1e-9]


class RuleBook:
    """``evaluate`` and ``shortfalls`` for a whole report, with the matching worked out once per
    (rank, unit path) rather than once per cadre: the demo city's 50,000 cadres sit in about
    1,800 units of a handful of ranks. A cadre without hours in the window gets the result
    worked out once for the same applicable rules, shared (the gap lists are never modified).
    The figures are those of ``evaluate`` exactly: the same rules, the same arithmetic."""

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self._applicable: dict[tuple[str, str], list[Rule]] = {}
        self._empty: dict[tuple[int, ...], tuple] = {}  # applicable rule ids → result

    def applicable(self, rank: str, path: str) -> list[Rule]:
        found = self._applicable.get((rank, path))
        if found is None:
            found = [rule for rule in self.rules if rule.applies_to(rank, path)]
            self._applicable[(rank, path)] = found
        return found

    def _both(self, rank: str, hours: Hours, path: str) -> tuple:
        """(every applicable gap, their missing hours, the gaps not met, their missing hours)"""
        rules = self.applicable(rank, path)
        empty = not hours.year and not hours.five
        if empty:  # the result then depends on the applicable rules alone
            key = tuple(rule.id for rule in rules)
            if key in self._empty:
                return self._empty[key]
        gaps = [
            Gap(rule, rule.counted(hours.five if rule.five_years else hours.year), rule.required)
            for rule in rules
        ]
        short = [gap for gap in gaps if gap.missing > 1e-9]
        both = (gaps, sum(g.missing for g in gaps), short, sum(g.missing for g in short))
        if empty:
            self._empty[key] = both
        return both

    def evaluate(self, rank: str, hours: Hours, path: str) -> tuple[list[Gap], float]:
        """Every applicable gap, and the sum of their missing hours."""
        return self._both(rank, hours, path)[:2]

    def shortfalls(self, rank: str, hours: Hours, path: str) -> tuple[list[Gap], float]:
        """The gaps not met, and the sum of their missing hours."""
        return self._both(rank, hours, path)[2:]
