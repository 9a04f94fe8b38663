"""Recurring session dates: "every Saturday morning for 8 weeks", "the first weekend of each
month". Pure date arithmetic; the sessions service turns the dates into sessions, checks them
all for conflicts and saves all or nothing."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from ganxun.programs.dates import WEEKDAY_NAMES
from ganxun.programs.errors import ProgramError

MAX_SESSIONS = 200  # one step; a whole-year weekly rotation with two batches stays under it
COUNT_GUARD = 100_000  # counting the dates of an absurd rule must itself stay cheap


@dataclass
class Rule:
    """``weekly``: on ``weekdays`` every ``interval`` weeks. ``monthly``: on the ``nth``
    (1–4, or -1 for the last) ``weekdays`` of each month — nth=1 with Saturday and Sunday is
    "the first weekend of each month"."""

    freq: str
    start: date
    weekdays: list[int] = field(default_factory=lambda: [5])
    interval: int = 1
    nth: int = 1
    until: date | None = None
    count: int | None = None


def dates(rule: Rule) -> list[date]:
    """All dates of the rule, or a refusal that says how many there would have been."""
    _validate(rule)
    out: list[date] = []
    for day in _generate(rule):
        out.append(day)
        if len(out) > MAX_SESSIONS:
            total = len(out) + sum(1 for _day in _generate(rule, after=day))
            shown = (
                f"{total:,}"
                if total < COUNT_GUARD
                else _("超过 %(count_guard)s") % {"count_guard": format(COUNT_GUARD, ",")}
            )
            raise ProgramError(
                "too_many_sessions",
                _(
                    "该规则将生成 %(shown)s 次课，超过单次上限 %(max_sessions)s"
                    " 次；请缩短日期范围或减少次数后分批生成。"
                )
                % {"shown": shown, "max_sessions": MAX_SESSIONS},
                field="until",
            )
    if not out:
        raise ProgramError("no_dates", _("按该规则在所选日期范围内没有任何日期。"), field="start")
    return out


def _validate(rule: Rule) -> None:
    if rule.freq not in ("weekly", "monthly"):
        raise ProgramError("invalid_rule", _("请选择重复方式。"), field="freq")
    if not rule.weekdays or any(not 0 <= d <= 6 for d in rule.weekdays):
        raise ProgramError("invalid_rule", _("请至少选择一个星期几。"), field="weekdays")
    if rule.until is None and not rule.count:
        raise ProgramError("invalid_rule", _("请填写结束日期或重复次数。"), field="until")
    if rule.until is not None and rule.until < rule.start:
        raise ProgramError("invalid_rule", _("结束日期早于开始日期。"), field="until")
    if rule.count is not None and rule.count < 1:
        raise ProgramError("invalid_rule", _("重复次数至少为 1。"), field="count")
    if not 1 <= rule.interval <= 52:
        raise ProgramError("invalid_rule", _("间隔周数应在 1 到 52 之间。"), field="interval")
    if rule.nth not in (1, 2, 3, 4, -1):
        raise ProgramError("invalid_rule", _("请选择每月第几个。"), field="nth")


def _generate(rule: Rule, after: date | None = None) -> Iterator[date]:
    source = _weekly(rule) if rule.freq == "weekly" else _monthly(rule)
    limit = min(rule.count or COUNT_GUARD, COUNT_GUARD)
    for n, day in enumerate(source, start=1):
        if n > limit or (rule.until is not None and day > rule.until):
            return
        if after is None or day > after:
            yield day


def _weekly(rule: Rule) -> Iterator[date]:
    week_start = rule.start - timedelta(days=rule.start.weekday())
    days = sorted(set(rule.weekdays))
    while True:
        for d in days:
            day = week_start + timedelta(days=d)
            if day >= rule.start:
                yield day
        week_start += timedelta(weeks=rule.interval)


def _monthly(rule: Rule) -> Iterator[date]:
    year, month = rule.start.year, rule.start.month
    while True:
        for day in sorted(_nth_days(year, month, rule.nth, rule.weekdays)):
            if day >= rule.start:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _nth_days(year: int, month: int, nth: int, weekdays: list[int]) -> list[date]:
    """For a weekend (Sat+Sun) the days stay together: the first weekend's Saturday and the
    Sunday after it, even when the 1st of the month is a Sunday."""
    first = date(year, month, 1)
    anchor_day = min(weekdays)
    if nth > 0:
        anchor = first + timedelta(days=(anchor_day - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        anchor = last - timedelta(days=(last.weekday() - anchor_day) % 7)
    return [anchor + timedelta(days=d - anchor_day) for d in sorted(set(weekdays))]


def describe(rule: Rule) -> str:
    days = _("、").join(str(WEEKDAY_NAMES[d]) for d in sorted(set(rule.weekdays)))
    if rule.freq == "weekly":
        every = (
            _("每周")
            if rule.interval == 1
            else _("每 %(interval)s 周") % {"interval": rule.interval}
        )
        return f"{every}{days}"
    nth = _("最后一个") if rule.nth == -1 else _("第%(nth)s个") % {"nth": rule.nth}
    return _("每月%(nth)s%(days)s") % {"nth": nth, "days": days}
