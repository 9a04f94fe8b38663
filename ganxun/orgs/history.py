"""Career history (任职经历): the set-based writes both the roster import and the cadre form use.

A cadre's current record has no end. When the unit, post, rank or category changes, the
current record is closed on the day the new one starts and the new one is opened; 调出, 退休
and 去世 close the current record without opening another; coming back to 在职 opens one.
Reads at a past date take the record covering that date (``unit_at``).
"""

from datetime import date

from django.db.models import Q

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, CadreHistory
from ganxun.orgs.roster.sql import db_date, insert_rows

FIELDS = ["cadre", "unit", "position", "rank_title", "rank", "personnel_category", "start"]
FIELDS += ["end", "end_reason", "text"]
CLOSING: dict[str, CadreHistory.EndReason] = {
    Cadre.Status.TRANSFERRED: CadreHistory.EndReason.TRANSFERRED,
    Cadre.Status.RETIRED: CadreHistory.EndReason.RETIRED,
    Cadre.Status.DECEASED: CadreHistory.EndReason.DECEASED,
}
STEP = 900


def record(cadre_id: int, facts: dict, start: date, status: str = "active") -> tuple:
    """One history row for ``insert``: facts hold unit (id), position, rank_title (id), rank,
    personnel_category (id). A cadre registered as already gone gets a closed record."""
    reason = CLOSING.get(status, "")
    return (
        cadre_id,
        facts["unit"],
        facts.get("position", "") or "",
        facts.get("rank_title"),
        facts.get("rank", "") or "",
        facts.get("personnel_category"),
        db_date(start),
        db_date(start) if reason else None,
        str(reason),
        "",
    )


def resume_records(cadre_id: int, lines) -> list[tuple]:
    """The closed lines of a 任免审批表's 简历 as closed records for ``insert``: the unit is free
    text there (unit and post run together, 东江县城关镇党委副书记), kept as written in ``text``
    with no unit, rank or category; the open line is the current record itself."""
    return [
        (
            cadre_id,
            None,
            line.text[:100],
            None,
            "",
            None,
            db_date(line.start),
            db_date(line.end),
            str(CadreHistory.EndReason.CHANGED),
            line.text[:300],
        )
        for line in lines
        if line.end is not None
    ]


def insert(rows: list[tuple]) -> None:
    insert_rows(CadreHistory, FIELDS, rows)


def close(by_day: dict[tuple[date, str], list[int]]) -> None:
    """Close the open record of each cadre: {(end day, reason): [cadre ids]}, one UPDATE per
    (day, reason) and few hundred cadres."""
    # scope: callers have checked the cadres are the actor's; rows are addressed by cadre id
    with unscoped():
        for (day, reason), ids in by_day.items():
            for start in range(0, len(ids), STEP):
                CadreHistory.objects.filter(
                    cadre_id__in=ids[start : start + STEP], end__isnull=True
                ).update(end=day, end_reason=reason)


def current_start(cadre_id: int):
    # scope: the open record of a cadre the caller holds (cadre_update fetched it in scope)
    with unscoped():
        return (
            CadreHistory.objects.filter(cadre_id=cadre_id, end__isnull=True)
            .values_list("start", flat=True)
            .first()
        )


def at(day: date, prefix: str = "") -> Q:
    """The history records covering ``day`` (prefix "history__" from a Cadre query)."""
    return Q(**{f"{prefix}start__lte": day}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": day})
    )
