"""Duty coverage across all trainings (工学矛盾: 分批错时, so somebody is always on duty).

Inside one program the batch solver keeps a unit's party secretary and its administrative head
apart (``programs.services.batches.ROLE``: the leader roles duty coverage counts). Across
programs nothing did: a county's secretary may be at the party school while its head is at an
out-of-region course on the same day. For every unit and day this module knows who is away —
expected (``enrollment.expected``) at a scheduled session of any program that day, unless their
leave for it was approved — and reports two kinds of gap:

* ``leaders``: every registered duty leader of the unit (secretary and head) is away;
* ``share``: fewer of the unit's active cadres are at work than the strictest on-duty share
  (``Program.min_on_duty``) of the programs taking them away that day.

A unit with no leader registered is never reported as a leaders gap (it is counted apart, so
the page can say so). Reads here span programs of other orgs on purpose (a city program and a
county program take the same people); the caller has authorised the org it asks about, and
other orgs' programs are named only when the actor can see them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.enrollment.expected import expected_pairs
from ganxun.enrollment.models import LeaveRequest
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Program, ProgramTrainee, Session
from ganxun.programs.selectors import trainee_sessions_q
from ganxun.programs.services.batches import ROLE

if TYPE_CHECKING:
    from ganxun.accounts.models import User

DUTY_ROLES = tuple(ROLE)  # 党委/党组书记 and 行政正职, as the batch solver counts them
MAX_DAYS = 366


@dataclass
class Gap:
    unit_id: int
    unit_name: str
    day: date
    leaders: bool  # every duty leader away
    leaders_away: list[str] = field(default_factory=list)
    away: int = 0
    headcount: int = 0
    min_share: Decimal | None = None  # the strictest on-duty share of the programs that day
    below_share: bool = False
    programs: list[str] = field(default_factory=list)
    program_ids: set[int] = field(default_factory=set)

    @property
    def on_duty(self) -> int:
        return self.headcount - self.away


@dataclass
class Coverage:
    gaps: list[Gap]
    units_without_leaders: list[str]


def _days(starts, ends) -> list[date]:
    first, last = timezone.localdate(starts), timezone.localdate(ends)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def duty_coverage(
    *,
    actor: "User",
    org: Org,
    start: date,
    end: date,
    extra: list[ProgramTrainee] = (),  # type: ignore[assignment]
    leaders_only: bool = False,
) -> Coverage:
    """Gaps for the units of ``org``'s subtree between ``start`` and ``end`` (inclusive).
    ``extra`` are unsaved enrolments to count as if confirmed (a nomination being decided).
    ``leaders_only`` reads only the duty leaders' trainings (bulk changes of thousands of
    trainees): leader gaps only, no on-duty share."""
    end = min(end, start + timedelta(days=MAX_DAYS))
    window = (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )
    # scope: the org's own cadres (the caller authorised the org); counts and leader names
    cadres = Cadre._base_manager.filter(unit__path__startswith=org.path, status=Cadre.Status.ACTIVE)
    # scope: every program's sessions in the window: training anywhere takes people away
    sessions = Session._base_manager.filter(
        status=Session.Status.SCHEDULED, starts_at__lt=window[1], ends_at__gt=window[0]
    )
    people_read = cadres.filter(leader_role__in=DUTY_ROLES) if leaders_only else cadres
    pairs = expected_pairs(people_read.values("pk"), sessions)
    for row in extra:
        hypothetical = sessions.filter(trainee_sessions_q([row])).values_list("pk", flat=True)
        pairs |= {(row.cadre_id, sid) for sid in hypothetical}
    if not pairs:
        return Coverage([], _leaderless(cadres))
    on_leave = set(
        # scope: approved leave of the same people for the same sessions
        LeaveRequest._base_manager.filter(
            status=LeaveRequest.Status.APPROVED,
            cadre_id__in={c for c, _s in pairs},
            session_id__in={s for _c, s in pairs},
        ).values_list("cadre_id", "session_id")
    )
    pairs -= on_leave
    info = {
        s["pk"]: s
        for s in sessions.filter(pk__in={s for _c, s in pairs}).values(
            "pk", "starts_at", "ends_at", "program_id", "program__min_on_duty"
        )
    }
    people = {
        c["pk"]: c
        for c in cadres.filter(pk__in={c for c, _s in pairs}).values(
            "pk", "unit_id", "name", "leader_role"
        )
    }
    away: dict[tuple[int, date], set[int]] = defaultdict(set)
    programs: dict[tuple[int, date], set[int]] = defaultdict(set)
    share: dict[tuple[int, date], Decimal] = {}
    for cadre_id, session_id in pairs:
        person, s = people.get(cadre_id), info.get(session_id)
        if person is None or s is None:
            continue
        for day in _days(s["starts_at"], s["ends_at"]):
            if not start <= day <= end:
                continue
            key = (person["unit_id"], day)
            away[key].add(cadre_id)
            programs[key].add(s["program_id"])
            share[key] = max(share.get(key, Decimal(0)), s["program__min_on_duty"])
    unit_ids = {u for u, _d in away}
    leaders: dict[int, dict[int, str]] = defaultdict(dict)
    for pk, unit_id, name in cadres.filter(
        unit_id__in=unit_ids, leader_role__in=DUTY_ROLES
    ).values_list("pk", "unit_id", "name"):
        leaders[unit_id][pk] = name
    heads = dict(
        cadres.filter(unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
        .order_by()
    )
    # scope: names of the units found above (the org's own subtree)
    names = dict(Org._base_manager.filter(pk__in=unit_ids).values_list("pk", "name"))
    visible = set(
        Program.objects.visible_to(actor)
        .filter(pk__in={p for ps in programs.values() for p in ps})
        .values_list("pk", flat=True)
    )
    # scope: names of the programs the actor may see (others are not named)
    program_names = {p.pk: p.full_name for p in Program._base_manager.filter(pk__in=visible)}
    gaps = []
    for (unit_id, day), who in sorted(away.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        duty = leaders.get(unit_id, {})
        all_leaders = bool(duty) and set(duty) <= who
        headcount = heads.get(unit_id, 0)
        below = (
            not leaders_only
            and headcount > 0
            and Decimal(headcount - len(who)) < share[unit_id, day] * headcount
        )
        if not (all_leaders or below):
            continue
        named = sorted(program_names[p] for p in programs[unit_id, day] if p in program_names)
        hidden = len(programs[unit_id, day]) - len(named)
        if hidden:
            named.append(_("其他单位组织的培训 %(n)s 个") % {"n": hidden})
        gaps.append(
            Gap(
                unit_id=unit_id,
                unit_name=names.get(unit_id, ""),
                day=day,
                leaders=all_leaders,
                leaders_away=sorted(duty[c] for c in who if c in duty) if all_leaders else [],
                away=len(who),
                headcount=headcount,
                min_share=share[unit_id, day],
                below_share=below,
                programs=named,
                program_ids=set(programs[unit_id, day]),
            )
        )
    return Coverage(gaps, _leaderless(cadres))


def _leaderless(cadres) -> list[str]:
    """Units in the subtree with cadres but no duty leader registered (an honest note)."""
    with_leaders = cadres.filter(leader_role__in=DUTY_ROLES).values("unit_id")
    rows = (
        cadres.exclude(unit_id__in=with_leaders)
        .values_list("unit__name", flat=True)
        .distinct()
        .order_by("unit__name")
    )
    return list(rows[:200])


def gap_line(gap: Gap) -> str:
    """One sentence per gap, for warnings and the page."""
    if gap.leaders:
        return _(
            "%(day)s %(unit)s：书记和行政正职（%(names)s）都在参训，"
            "无人在岗主持工作（%(programs)s）。"
        ) % {
            "day": gap.day.strftime("%Y-%m-%d"),
            "unit": gap.unit_name,
            "names": "、".join(gap.leaders_away),
            "programs": "、".join(gap.programs),
        }
    return _(
        "%(day)s %(unit)s：%(away)s/%(headcount)s 人参训，在岗 %(on_duty)s 人，低于在岗比例 "
        "%(share)s%%（%(programs)s）。"
    ) % {
        "day": gap.day.strftime("%Y-%m-%d"),
        "unit": gap.unit_name,
        "away": gap.away,
        "headcount": gap.headcount,
        "on_duty": gap.on_duty,
        "share": f"{float(gap.min_share or 0) * 100:.0f}",
        "programs": "、".join(gap.programs),
    }


def enrolment_warnings(
    *,
    actor: "User",
    program: Program,
    cadre_ids,
    extra: list[ProgramTrainee] = (),  # type: ignore[assignment]
    leaders_only: bool = False,
) -> list[str]:
    """After (or before, with ``extra``) trainees join ``program``: the gaps their units would
    have on the program's days that this program takes part in. One coverage read over the
    smallest subtree holding all their units, whatever their number."""
    # scope: the nominees the caller holds, for their units
    nominees = Cadre._base_manager.filter(pk__in=list(cadre_ids))
    units = dict(
        # scope: the units of those nominees
        Org._base_manager.filter(pk__in=nominees.values("unit_id")).values_list("pk", "path")
    )
    if not units:
        return []
    common = _common_path(list(units.values()))
    # scope: the smallest subtree holding the nominees' units (by its path)
    root = Org._base_manager.filter(path=common).first()
    if root is None:
        return []
    found = duty_coverage(
        actor=actor,
        org=root,
        start=program.start_date,
        end=program.end_date,
        extra=extra,
        leaders_only=leaders_only,
    )
    return [
        gap_line(gap)
        for gap in found.gaps
        if gap.unit_id in units and program.pk in gap.program_ids
    ]


def _common_path(paths: list[str]) -> str:
    """The longest common ancestor path ("1/a/" of "1/a/3f/" and "1/a/40/")."""
    parts = [p.rstrip("/").split("/") for p in paths]
    shared = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        shared.append(segment[0])
    return "/".join(shared) + "/"
