"""The demo cadres' career history (任职经历), planned in memory like the rest of the city.

Every cadre gets the record of the post they hold, begun some years before ``AS_OF`` (never
before the age of 22); a few also get the record before it: a transfer (调任, the same post and
rank in another unit of the same level) or a promotion (提任, the level below in the same unit,
dated within the last two years so that 任职培训 lists have people in and past their year).
Retired and transferred cadres' records are closed when they left. A generator of its own,
seeded from the city's seed, so adding history changes nobody else in the city.
"""

import random
from datetime import date, timedelta
from typing import NamedTuple

from ganxun.demo.people import AS_OF, CadreRow
from ganxun.demo.places import OrgRow
from ganxun.orgs.models import Cadre

Rank = Cadre.Rank
TRANSFER_SHARE = 0.04
PROMOTION_SHARE = 0.10  # of leaders at a level that has one below it
BELOW = {
    Rank.SECTION_DEPUTY: Rank.GENERAL,
    Rank.SECTION_MAIN: Rank.SECTION_DEPUTY,
    Rank.COUNTY_DEPUTY: Rank.SECTION_MAIN,
    Rank.COUNTY_MAIN: Rank.COUNTY_DEPUTY,
}
WORKING_AGE = 22


class HistoryRow(NamedTuple):
    cadre_pk: int
    unit_pk: int
    position: str
    rank: str
    start: date
    end: date | None
    end_reason: str


def plan_history(
    seed: int, orgs: list[OrgRow], cadres: list[CadreRow], today: date
) -> list[HistoryRow]:
    rng = random.Random(f"history-{seed}")
    same_level: dict[str, list[int]] = {}
    for org in orgs:
        same_level.setdefault(org.level, []).append(org.pk)
    level_of = {org.pk: org.level for org in orgs}
    rows: list[HistoryRow] = []
    for cadre in cadres:
        earliest = _years_after(cadre.birth_date, WORKING_AGE)
        roll = rng.random()
        if cadre.rank in BELOW and cadre.status == Cadre.Status.ACTIVE and roll < PROMOTION_SHARE:
            # promoted between eighteen months before AS_OF and today, at the latest
            promoted = min(AS_OF + timedelta(days=rng.randint(-540, 330)), today)
            before = promoted - timedelta(days=rng.randint(2, 6) * 365)
            if before >= earliest:
                rows.append(
                    HistoryRow(
                        cadre.pk, cadre.unit_pk, "", BELOW[cadre.rank], before, promoted, "changed"
                    )
                )
                rows.append(_current(cadre, promoted))
                continue
        start = max(AS_OF - timedelta(days=rng.randint(120, 8 * 365)), earliest)
        start = min(start, today)
        if roll > 1 - TRANSFER_SHARE:
            others = same_level[level_of[cadre.unit_pk]]
            before = start - timedelta(days=rng.randint(1, 6) * 365)
            other = others[rng.randrange(len(others))]
            if before >= earliest and other != cadre.unit_pk:
                rows.append(
                    HistoryRow(
                        cadre.pk, other, cadre.position, cadre.rank, before, start, "changed"
                    )
                )
        rows.append(_current(cadre, start))
    return rows


def _current(cadre: CadreRow, start: date) -> HistoryRow:
    """The record of the post held; closed on its first day for people no longer serving (the
    plan does not know when they left), as the roster import records them."""
    reason = {
        Cadre.Status.RETIRED: "retired",
        Cadre.Status.TRANSFERRED: "transferred",
        Cadre.Status.DECEASED: "deceased",
    }.get(cadre.status, "")
    return HistoryRow(
        cadre.pk,
        cadre.unit_pk,
        cadre.position,
        cadre.rank,
        start,
        start if reason else None,
        reason,
    )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
