"""The scheduled reminders, their default timing, and how a switch is inherited.

Each reminder kind is on by default with a default timing. An organization may switch a kind
off (or on again) and change its timing; the setting holds for its whole subtree unless an org
below says otherwise (the nearest org up the tree wins). A program's own setting overrides its
org's. Pure functions over rows the caller read (``Effective`` for one program or unit).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Timing:
    """The one number a kind's timing takes: its label, unit, range and default."""

    label: object
    default: int
    low: int
    high: int


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: object
    who: object  # whom it tells (shown on the settings pages)
    timing: Timing
    program_level: bool = True  # hours_short belongs to a cadre's unit, not to a program


CLASS_TOMORROW = "class_tomorrow"
CLASS_SOON = "class_soon"
SURVEY_DUE = "survey_due"
EVALUATION_DUE = "evaluation_due"
OUTLINE_DUE = "outline_due"
HOURS_SHORT = "hours_short"

KINDS: dict[str, ReminderKind] = {
    k.code: k
    for k in (
        ReminderKind(
            CLASS_TOMORROW,
            _("明日上课提醒"),
            _("应到学员（已准假的除外）和授课教师"),
            Timing(_("前一天几点发送（0–23 点）"), 18, 0, 23),
        ),
        ReminderKind(
            CLASS_SOON,
            _("课前提醒"),
            _("应到学员（已准假的除外）和授课教师"),
            Timing(_("开课前多少分钟发送"), 60, 10, 240),
        ),
        ReminderKind(
            SURVEY_DUE,
            _("问卷截止提醒"),
            _("尚未提交的调研对象，及其单位联络员"),
            Timing(_("截止前多少小时发送"), 24, 1, 168),
            program_level=False,
        ),
        ReminderKind(
            EVALUATION_DUE,
            _("课堂评价截止提醒"),
            _("已签到但未填写评价表的学员"),
            Timing(_("评价表关闭前多少小时发送"), 12, 1, 168),
        ),
        ReminderKind(
            OUTLINE_DUE,
            _("授课提纲提交提醒"),
            _("提纲尚未提交（或被退回）的授课教师"),
            Timing(_("提纲截止前多少小时发送"), 48, 1, 336),
        ),
        ReminderKind(
            HOURS_SHORT,
            _("学时未达标提醒"),
            _("年度学时未达要求的干部，及其单位联络员"),
            Timing(_("当天几点发送（0–23 点）"), 9, 0, 23),
            program_level=False,
        ),
    )
}
PROGRAM_KINDS = [k for k in KINDS.values() if k.program_level]
DEFAULT_DATES = "10-01,11-01,12-01"  # hours short: 1 Oct, 1 Nov, 1 Dec


def parse_dates(text: str) -> list[tuple[int, int]]:
    """ "10-01,11-01" → [(10, 1), (11, 1)]; raises ValueError on anything else."""
    out = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        month, day = (int(x) for x in part.split("-"))
        date(2028, month, day)  # a leap year: 02-29 is allowed, 02-30 is not
        out.append((month, day))
    if not out:
        raise ValueError("no dates")
    return sorted(set(out))


def format_dates(dates: Iterable[tuple[int, int]]) -> str:
    return ",".join(f"{m:02d}-{d:02d}" for m, d in dates)


@dataclass(frozen=True)
class Effective:
    """What holds for one kind at one place: on or off, the timing, and where it comes from
    (a program, an org's name, or "" for the defaults)."""

    kind: str
    enabled: bool
    value: int
    dates: tuple[tuple[int, int], ...] = ()
    source: str = ""
    own: bool = False  # set right here (not inherited)


def _from_row(kind: ReminderKind, row, *, source: str, own: bool) -> Effective:
    dates: tuple[tuple[int, int], ...] = ()
    if kind.code == HOURS_SHORT:
        try:
            dates = tuple(
                parse_dates(row.dates if row is not None and row.dates else DEFAULT_DATES)
            )
        except ValueError:
            dates = tuple(parse_dates(DEFAULT_DATES))
    if row is None:
        return Effective(kind.code, True, kind.timing.default, dates, source, own)
    value = row.value if row.value is not None else kind.timing.default
    return Effective(kind.code, row.enabled, value, dates, source, own)


def resolve(kind_code: str, *, org_path: str, org_rows: dict, program_row=None, here_path=None):
    """The effective setting of a kind for a place under ``org_path``: the program's row, else
    the row of the nearest org up the tree (``org_rows``: {org path: row} of that kind), else
    the defaults. ``here_path``: the org whose page asks (its own row is marked ``own``)."""
    kind = KINDS[kind_code]
    if program_row is not None:
        return _from_row(kind, program_row, source="program", own=here_path is None)
    best = None
    for path in org_rows:
        if org_path.startswith(path) and (best is None or len(path) > len(best)):
            best = path
    if best is None:
        return _from_row(kind, None, source="", own=False)
    row = org_rows[best]
    return _from_row(kind, row, source=row.org.name, own=best == here_path)
