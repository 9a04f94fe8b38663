"""Training on promotion (任职培训): a cadre promoted to a leadership post who has not met the
training requirement of the new level completes it within one year of promotion
(《干部教育培训工作条例》2023 第十四条: 提任后1年内完成培训).

The promotion date comes from the career history (``orgs.CadreHistory``): the start of the
current record when its level is a leadership level above the level of the record before it.
The requirement is the one already configured for the new level (``Requirement`` rows — one
definition per rule): a five-year rule is checked over the five years ending one year after
promotion, a yearly rule over the year after promotion. Pure functions here; the queries are
in ``selectors.promotion_training``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from ganxun.credits.compliance import Rule
from ganxun.credits.models import Channel
from ganxun.orgs.models import Cadre

ORDER = {value: i for i, value in enumerate(Cadre.Rank.values)}  # 0 = highest
LEADING = frozenset(Cadre.Rank.values) - {Cadre.Rank.GENERAL}
WINDOW = timedelta(days=365)
CLASSROOM = Channel.CENTRAL
DONE, INSIDE, OVERDUE = "done", "inside", "overdue"
STATES = {DONE: _("已完成"), INSIDE: _("一年期内未完成"), OVERDUE: _("已逾期")}


def is_promotion(before: str, after: str) -> bool:
    """A move to a leadership level above the one before (a level the table cannot place, "",
    never counts)."""
    if after not in LEADING:
        return False
    return before not in ORDER or ORDER[after] < ORDER[before]


def due_date(promoted: date) -> date:
    return promoted + WINDOW


def counting_window(rule: Rule, promoted: date) -> tuple[date, date]:
    """[first, last] days whose hours count towards ``rule`` for a promotion on ``promoted``."""
    last = due_date(promoted) - timedelta(days=1)
    if rule.five_years:
        return last - timedelta(days=5 * 365), last
    return promoted, last


@dataclass
class PromotionCheck:
    cadre_id: int
    name: str
    unit_id: int
    unit_name: str
    promoted_on: date
    before: str
    after: str
    rule: Rule
    counted: float
    today: date

    @property
    def due(self) -> date:
        return due_date(self.promoted_on)

    @property
    def missing(self) -> float:
        return max(self.rule.required - self.counted, 0.0)

    @property
    def days_left(self) -> int:
        return max((self.due - self.today).days, 0)

    @property
    def state(self) -> str:
        if self.missing <= 1e-9:
            return DONE
        return INSIDE if self.today < self.due else OVERDUE

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])

    @property
    def after_label(self) -> str:
        return str(Cadre.Rank(self.after).label)


def rule_for(rules: list[Rule], level: str, path: str) -> Rule | None:
    """The requirement a promotion to ``level`` in the unit at ``path`` must meet: its five-year
    rule where it has one (县处级以上), else its yearly classroom rule — the first applying rule
    that counts classroom channels, as the rules are sorted."""
    applying = [
        r
        for r in rules
        if r.applies_to(level, path) and (not r.channels or CLASSROOM in r.channels)
    ]
    five = [r for r in applying if r.five_years]
    return (five or applying or [None])[0]
