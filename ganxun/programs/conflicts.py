"""Conflict checks, run on every change to a session and on every generated series.

A lecturer in two places at once and a double-booked classroom block the change (nobody can be
in two rooms); a session outside its unit's or its program's dates blocks too (fix the dates
first, so the calendar stays true). Trainees booked twice, a classroom over capacity and a
session without a lecturer are warnings the organizer may accept.

Lecturers and classrooms are shared across the tree, so the checks look at every program's
sessions, not only those the actor may open; sessions the actor cannot see are described
without their titles.

Trainees booked twice are found by ``trainee_double_bookings``, the one definition that the
scheduling check, the confirmation of nominations and the trainee's 课表 all read.

Cost: one query for sessions overlapping the candidates' time span that share a lecturer or a
classroom, two for trainees booked twice, one for the head counts, one for capacity — a
handful whatever the program's size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from ganxun.catalog.models import Lecturer
from ganxun.orgs.models import Cadre
from ganxun.programs.dates import local_day, when_label
from ganxun.programs.models import Program, ProgramTrainee, Session, Venue
from ganxun.programs.participation import ONLY_OWN_SESSIONS

MAX_NAMES = 5


@dataclass
class Candidate:
    """A session as it would be saved: an existing one being changed, or a new one."""

    program: Program
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    pk: int | None = None
    unit: object = None
    batch: int | None = None
    lecturer_ids: set[int] = field(default_factory=set)
    main_venue_id: int | None = None
    sub_venue_ids: set[int] = field(default_factory=set)
    index: int = 0  # its place in the list checked together

    @property
    def program_id(self) -> int:
        return self.program.pk

    @property
    def venue_ids(self) -> set[int]:
        return ({self.main_venue_id} if self.main_venue_id else set()) | self.sub_venue_ids

    @property
    def when(self) -> str:
        return when_label(self.starts_at, self.ends_at)


@dataclass
class Conflict:
    kind: str
    blocking: bool
    message: str
    index: int = 0  # which candidate, for a generated series
    items: list[dict] = field(default_factory=list)  # {"label", "session_id"?}


def check(candidates: list[Candidate], *, actor) -> list[Conflict]:
    if not candidates:
        return []
    for i, c in enumerate(candidates):
        c.index = i
    found: list[Conflict] = []
    for i, c in enumerate(candidates):
        found += [_at(conflict, i) for conflict in _dates(c)]
        if not c.lecturer_ids:
            message = _("%(when)s“%(title)s”：尚未指定授课教师。") % {
                "when": c.when,
                "title": c.title or _("本次新排课次"),
            }
            found.append(Conflict("no_lecturer", False, message, i))
    others = _overlapping(candidates)
    visible = _visible_program_ids(actor, {s.program_id for s in others})
    attendance = _Attendance(candidates, others)
    names = _Names(candidates)
    for i, c in enumerate(candidates):
        for s in others:
            if s.pk != c.pk and _overlaps(c, s):
                found += [_at(x, i) for x in _clash(c, s, _describe(s, visible), names)]
        for j in range(i + 1, len(candidates)):
            other = candidates[j]
            if _overlaps(c, other):
                item = {
                    "label": _("%(title)s（%(when)s）")
                    % {"title": c.title or _("本次新排课次"), "when": c.when}
                }
                found += [_at(x, j) for x in _clash(other, c, item, names)]
    found += _trainees_busy(candidates, visible, attendance)
    found += _capacity(candidates, attendance)
    return found


def _at(conflict: Conflict, index: int) -> Conflict:
    conflict.index = index
    return conflict


def _overlaps(a, b) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _dates(c: Candidate) -> list[Conflict]:
    day, last = local_day(c.starts_at), local_day(c.ends_at)
    out = []
    if c.unit is not None and (day < c.unit.start_date or last > c.unit.end_date):
        out.append(
            Conflict(
                "outside_unit",
                True,
                _(
                    "%(when)s 不在%(unit)s的日期范围（%(start_date)s"
                    "至%(end_date)s）内；请改期或先调整单元日期。"
                )
                % {
                    "when": c.when,
                    "unit": c.unit,
                    "start_date": c.unit.start_date,
                    "end_date": c.unit.end_date,
                },
            )
        )
    program = c.program
    if day < program.start_date or last > program.end_date:
        out.append(
            Conflict(
                "outside_program",
                True,
                _("%(when)s 不在项目周期（%(start_date)s至%(end_date)s）内。")
                % {"when": c.when, "start_date": program.start_date, "end_date": program.end_date},
            )
        )
    return out


def _overlapping(candidates: list[Candidate]) -> list[Session]:
    """Scheduled sessions of any program in the candidates' time span that share a lecturer or
    a classroom with them, or belong to a program whose trainees may overlap with theirs."""
    lo = min(c.starts_at for c in candidates)
    hi = max(c.ends_at for c in candidates)
    lecturers = set().union(*(c.lecturer_ids for c in candidates))
    venues = set().union(*(c.venue_ids for c in candidates))
    programs = {c.program.pk for c in candidates}
    cadres = ProgramTrainee._base_manager.filter(program_id__in=programs).values("cadre_id")
    sharing = ProgramTrainee._base_manager.filter(cadre_id__in=cadres).values("program_id")
    related = Q(program_id__in=programs) | Q(program_id__in=sharing)
    if lecturers:
        related |= Q(lecturers__in=lecturers)
    if venues:
        related |= Q(main_venue_id__in=venues) | Q(sub_venues__in=venues)
    # Lecturers and classrooms are shared across the tree: this must see every org's sessions.
    qs = (
        Session._base_manager.filter(starts_at__lt=hi, ends_at__gt=lo)
        .filter(status=Session.Status.SCHEDULED)
        .filter(related)
        .select_related("program")
        .distinct()
    )
    sessions = list(qs)
    through_l = Session.lecturers.through.objects.filter(session_id__in=[s.pk for s in sessions])
    through_v = Session.sub_venues.through.objects.filter(session_id__in=[s.pk for s in sessions])
    lec, sub = defaultdict(set), defaultdict(set)
    for sid, lid in through_l.values_list("session_id", "lecturer_id"):
        lec[sid].add(lid)
    for sid, vid in through_v.values_list("session_id", "venue_id"):
        sub[sid].add(vid)
    for s in sessions:
        s.lecturer_ids, s.sub_venue_ids = lec[s.pk], sub[s.pk]
        s.venue_ids = ({s.main_venue_id} if s.main_venue_id else set()) | sub[s.pk]
    return sessions


def _visible_program_ids(actor, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(Program.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


def _describe(s: Session, visible: set[int]) -> dict:
    when = when_label(s.starts_at, s.ends_at)
    if s.program_id in visible:
        return {"label": f"{s.program.full_name}·{s.title}（{when}）", "session_id": s.pk}
    return {"label": _("其他单位组织的课次（%(when)s）") % {"when": when}}


class _Names:
    """Names of the candidates' lecturers and classrooms, for messages: two queries."""

    def __init__(self, candidates: list[Candidate]):
        lecturers = set().union(*(c.lecturer_ids for c in candidates))
        venues = set().union(*(c.venue_ids for c in candidates))
        self.lecturers = dict(
            Lecturer._base_manager.filter(pk__in=lecturers).values_list("pk", "name")
        )
        self.venues = dict(Venue._base_manager.filter(pk__in=venues).values_list("pk", "name"))

    @staticmethod
    def join(table: dict, ids: set) -> str:
        return _("、").join(sorted(table[i] for i in ids if i in table))


def _clash(c: Candidate, s, item: dict, names: _Names) -> list[Conflict]:
    """``c`` against ``s`` (a saved session or another candidate of the series), described by
    ``item``: the message names the lecturer or classroom, the other session and when."""
    out = []
    shared = c.lecturer_ids & s.lecturer_ids
    if shared:
        message = _("%(when)s：授课教师%(who)s同一时间另有课：%(other)s。") % {
            "when": c.when,
            "who": names.join(names.lecturers, shared),
            "other": item["label"],
        }
        out.append(Conflict("lecturer_busy", True, message, items=[item]))
    shared = c.venue_ids & s.venue_ids
    if shared:
        message = _("%(when)s：教室“%(room)s”已被占用：%(other)s。") % {
            "when": c.when,
            "room": names.join(names.venues, shared),
            "other": item["label"],
        }
        out.append(Conflict("venue_busy", True, message, items=[item]))
    return out


def _trainees_busy(candidates: list[Candidate], visible: set[int], attendance) -> list[Conflict]:
    """Trainees of the candidates booked twice at once: read from trainee_double_bookings."""
    out = []
    for clash in trainee_double_bookings(candidates=candidates):
        first, second = clash.first, clash.second
        if isinstance(first, Candidate) and isinstance(second, Candidate):
            index, c, item = (
                second.index,
                second,
                {
                    "label": _("%(title)s（%(when)s）")
                    % {"title": first.title or _("本次新排课次"), "when": first.when}
                },
            )
        else:
            c, other = (first, second) if isinstance(first, Candidate) else (second, first)
            index, item = c.index, _describe(other, visible)
        out.append(_at(_trainee_conflict(c, clash.cadre_ids, item, attendance), index))
    return out


def _trainee_conflict(c: Candidate, cadre_ids: set[int], item: dict, attendance) -> Conflict:
    names = attendance.names(cadre_ids)
    more = _("等 %(n)s 人") % {"n": len(cadre_ids)} if len(cadre_ids) > len(names) else ""
    message = _("%(when)s：学员%(who)s同一时间另有课：%(other)s。") % {
        "when": c.when,
        "who": _("、").join(names) + more,
        "other": item["label"],
    }
    return Conflict("trainee_busy", False, message, items=[item])


class _Attendance:
    """Who attends the candidates (for head counts): a session takes its program's trainees of
    its batch (all batches when it has none). Names only of those who clash."""

    def __init__(self, candidates: list[Candidate], others: list[Session]):
        mine = {c.program.pk for c in candidates}
        rows = ProgramTrainee._base_manager.filter(program_id__in=mine).values_list(
            "program_id", "cadre_id", "batch", "venue_id"
        )
        self.by_batch: dict[tuple[int, int | None], set[int]] = defaultdict(set)
        self.venue: dict[tuple[int, int], int | None] = {}
        for program_id, cadre_id, batch, venue_id in rows:
            self.by_batch[program_id, batch].add(cadre_id)
            self.venue[program_id, cadre_id] = venue_id
        self._cache: dict[tuple[int, int | None], set[int]] = {}

    def attendees(self, program_id: int, batch: int | None) -> set[int]:
        key = (program_id, batch)
        if key not in self._cache:
            if batch is None:
                groups = [v for (p, _b), v in self.by_batch.items() if p == program_id]
                self._cache[key] = set().union(*groups)
            else:
                self._cache[key] = self.by_batch.get(key, set())
        return self._cache[key]

    def names(self, cadre_ids: set[int]) -> list[str]:
        first = sorted(cadre_ids)[:MAX_NAMES]
        return sorted(Cadre._base_manager.filter(pk__in=first).values_list("name", flat=True))

    def per_venue(self, c: Candidate) -> Counter:
        """Head count per classroom: trainees go to their assigned classroom when the session
        uses it, otherwise to the main classroom."""
        heads: Counter = Counter()
        venues = c.venue_ids
        for cadre in self.attendees(c.program.pk, c.batch):
            venue = self.venue.get((c.program.pk, cadre))
            heads[venue if venue in venues else c.main_venue_id] += 1
        return heads


def _capacity(candidates: list[Candidate], attendance: _Attendance) -> list[Conflict]:
    ids = set().union(*(c.venue_ids for c in candidates))
    venues = {v.pk: v for v in Venue._base_manager.filter(pk__in=ids)} if ids else {}
    out = []
    for i, c in enumerate(candidates):
        for venue_id, heads in sorted(attendance.per_venue(c).items(), key=lambda kv: kv[0] or 0):
            venue = venues.get(venue_id)
            if venue is None or venue.capacity is None or heads <= venue.capacity:
                continue
            out.append(
                Conflict(
                    "over_capacity",
                    False,
                    _(
                        "%(when)s：%(name)s可容纳 %(capacity)s 人，"
                        "本次应到 %(heads)s 人，超出 %(over)s 人。"
                    )
                    % {
                        "when": c.when,
                        "name": venue.name,
                        "capacity": venue.capacity,
                        "heads": heads,
                        "over": heads - venue.capacity,
                    },
                    i,
                )
            )
    return out


# --- trainees booked twice -------------------------------------------------------------------


@dataclass
class DoubleBooking:
    """Two sessions at overlapping times that the same trainees must both attend."""

    first: object  # a Session, or a Candidate being scheduled
    second: object
    cadre_ids: set[int]


def trainee_double_bookings(
    *,
    cadre_ids: set[int] | list[int] | None = None,
    candidates: list[Candidate] = (),
    since: datetime | None = None,
    program_id: int | None = None,
) -> list[DoubleBooking]:
    """The one rule for "a trainee booked twice": every pair of overlapping scheduled sessions
    (in different programs, or one program's twice) that the same trainees attend. A session
    is attended by its program's trainees of its batch, by all of them when it has none.

    Used when sessions are scheduled (``candidates``: only pairs involving them), when
    nominations are confirmed and on the trainee's 课表 (``cadre_ids``, optionally from
    ``since`` on; only pairs with a session of ``program_id`` when given). Trainees with the
    same programs and batches share their answer, so a program of thousands costs a few
    queries and one sweep per distinct enrolment pattern.
    """
    # Self-selected and walk-in trainees attend only their own picks (enrollment.expected).
    trainees = ProgramTrainee._base_manager.exclude(source__in=ONLY_OWN_SESSIONS)
    if candidates:
        mine = {c.program_id for c in candidates}
        trainees = trainees.filter(
            cadre_id__in=ProgramTrainee._base_manager.filter(program_id__in=mine).values("cadre_id")
        )
    elif cadre_ids is not None:
        trainees = trainees.filter(cadre_id__in=list(cadre_ids))
    else:
        return []
    enrolled: dict[int, set[tuple[int, int | None]]] = defaultdict(set)
    for cadre_id, program_id, batch in trainees.values_list("cadre_id", "program_id", "batch"):
        enrolled[cadre_id].add((program_id, batch))
    if not enrolled:
        return []
    programs = {p for pairs in enrolled.values() for p, _b in pairs}
    slots = _slots(programs, candidates, since)
    by_program: dict[int, list] = defaultdict(list)
    for slot in slots:
        by_program[slot.program_id].append(slot)
    patterns: dict[frozenset, set[int]] = defaultdict(set)
    for cadre_id, pairs in enrolled.items():
        patterns[frozenset(pairs)].add(cadre_id)
    found: dict[tuple, DoubleBooking] = {}
    for pattern, cadres in patterns.items():
        attended = sorted(
            (
                slot
                for program_id, batch in pattern
                for slot in by_program.get(program_id, ())
                if slot.batch is None or slot.batch == batch
            ),
            key=lambda x: x.starts_at,
        )
        for a, b in _overlapping_pairs(attended):
            if candidates and not (isinstance(a, Candidate) or isinstance(b, Candidate)):
                continue
            if program_id is not None and program_id not in (a.program_id, b.program_id):
                continue
            key = (_slot_key(a), _slot_key(b))
            if key not in found:
                found[key] = DoubleBooking(a, b, set())
            found[key].cadre_ids |= cadres
    return sorted(found.values(), key=lambda d: (d.first.starts_at, d.second.starts_at))


def _slot_key(slot) -> tuple:
    return ("candidate", slot.index) if isinstance(slot, Candidate) else ("session", slot.pk)


def _slots(programs: set[int], candidates: list[Candidate], since: datetime | None) -> list:
    qs = Session._base_manager.filter(
        program_id__in=programs, status=Session.Status.SCHEDULED, self_selectable=False
    )
    if candidates:
        lo = min(c.starts_at for c in candidates)
        hi = max(c.ends_at for c in candidates)
        qs = qs.filter(starts_at__lt=hi, ends_at__gt=lo).exclude(
            pk__in=[c.pk for c in candidates if c.pk]
        )
    elif since is not None:
        qs = qs.filter(ends_at__gt=since)
    return [*qs.select_related("program"), *candidates]


def _overlapping_pairs(ordered: list) -> list[tuple]:
    """Pairs of overlapping slots in a list sorted by start: one sweep."""
    pairs, open_ = [], []
    for slot in ordered:
        open_ = [o for o in open_ if o.ends_at > slot.starts_at]
        pairs += [(o, slot) for o in open_ if _slot_key(o) != _slot_key(slot)]
        open_.append(slot)
    return pairs


def double_booking_lines(bookings: list[DoubleBooking], *, actor, limit: int = 10) -> list[str]:
    """Plain sentences for a page: who, and which two sessions (a program the actor may not
    open is described without its titles)."""
    shown_bookings = bookings[:limit]
    programs = {s.program_id for b in shown_bookings for s in (b.first, b.second)}
    visible = _visible_program_ids(actor, programs)
    wanted = {c for b in shown_bookings for c in sorted(b.cadre_ids)[:MAX_NAMES]}
    names = dict(Cadre._base_manager.filter(pk__in=wanted).values_list("pk", "name"))
    lines = []
    for b in shown_bookings:
        shown = [names[c] for c in sorted(b.cadre_ids)[:MAX_NAMES] if c in names]
        more = _("等 %(n)s 人") % {"n": len(b.cadre_ids)} if len(b.cadre_ids) > len(shown) else ""
        pair = _("%(first)s 与 %(second)s") % {
            "first": slot_label(b.first, visible),
            "second": slot_label(b.second, visible),
        }
        lines.append(
            _("%(names)s%(more)s：%(pair)s 时间重叠。")
            % {"names": _("、").join(shown), "more": more, "pair": pair}
        )
    if len(bookings) > limit:
        lines.append(_("另有 %(n)s 处时间重叠。") % {"n": len(bookings) - limit})
    return lines


def slot_label(slot, visible: set[int] | None = None) -> str:
    """A session as a line names it; ``visible`` given, others' programs stay unnamed."""
    when = when_label(slot.starts_at, slot.ends_at)
    if visible is not None and slot.program_id not in visible:
        return _("其他单位组织的课次（%(when)s）") % {"when": when}
    title = slot.title or _("本次新排课次")
    return f"{slot.program.full_name}·{title}（{when}）"
