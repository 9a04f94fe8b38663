"""Every read of check-in: the session fetched for a desk page, the live board, the absence list,
the sign-in sheet and the desk's search. A board refresh runs a fixed handful of GROUP BY
queries whatever the class size (counts are computed in the database, not in Python)."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.checkin import policies
from ganxun.checkin.models import Attendance
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.enrollment.expected import expected_trainees
from ganxun.enrollment.selectors import approved_leave_cadre_ids
from ganxun.orgs.models import Cadre
from ganxun.programs import rooms
from ganxun.programs import selectors as programs_selectors
from ganxun.programs.models import ProgramTrainee, Session, Venue

MISSING_SHOWN = 300  # the board lists at most this many missing names (the count is exact)
OUTSIDE_SHOWN = 100  # and at most this many check-ins outside a sub-classroom's area


def get_checkin_session_for(actor: User, pk) -> Session:
    """A session whose check-in the actor runs: 404 when unseen, 403 when only readable."""
    session = programs_selectors.get_session_for(actor, pk)
    if not policies.can_run_checkin(actor, session):
        raise PermissionDenied()
    return session


def session_venues(session: Session) -> list[Venue]:
    """The main classroom first, then the video sub-classrooms."""
    subs = list(
        # scope: the classrooms of a session the caller holds (a trainee sees where to sit)
        Venue._base_manager.filter(
            pk__in=session.sub_venues.through.objects.filter(session_id=session.pk).values(
                "venue_id"
            )
        ).order_by("name")
    )
    main = session.main_venue  # the held session's own classroom (None when it has none)
    return [v for v in [main, *subs] if v is not None]


def attended_cadre_ids(session: Session) -> QuerySet:
    return children_of(session, Attendance, "session").values("cadre_id")


def missing_trainees(session: Session) -> QuerySet[ProgramTrainee]:
    """Expected, not checked in and not on approved leave, by unit then name."""
    return (
        expected_trainees(session)
        .exclude(cadre_id__in=attended_cadre_ids(session))
        .exclude(cadre_id__in=approved_leave_cadre_ids(session))
        .select_related("cadre__unit")
        .order_by("cadre__unit__path", "cadre__name", "pk")
    )


@dataclass
class Row:
    label: str
    expected: int = 0
    checked: int = 0
    outside: int = 0  # checked in here although the sub-classroom does not serve their area

    @property
    def percent(self) -> int:
        return round(100 * self.checked / self.expected) if self.expected else 0


@dataclass
class Board:
    session: Session
    expected: int
    checked: int
    expected_checked: int
    late: int
    walk_ins: int
    on_leave: int
    missing_count: int
    missing: list[ProgramTrainee]
    by_venue: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    outside_count: int = 0
    outside: list[Attendance] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.expected_checked / self.expected) if self.expected else 0


def board(session: Session) -> Board:
    expected = expected_trainees(session).order_by()
    attendance = children_of(session, Attendance, "session").order_by()
    totals = attendance.aggregate(
        checked=Count("pk"),
        late=Count("pk", filter=Q(late_minutes__gt=0)),
        walk_ins=Count("pk", filter=Q(walk_in=True)),
    )
    expected_checked = expected.filter(cadre_id__in=attended_cadre_ids(session)).count()
    missing = missing_trainees(session)
    outside = outside_area(attendance)
    by_venue = _by_venue(session, expected, attendance, outside)
    return Board(
        session=session,
        expected=expected.count(),
        checked=totals["checked"],
        expected_checked=expected_checked,
        late=totals["late"],
        walk_ins=totals["walk_ins"],
        on_leave=expected.filter(cadre_id__in=approved_leave_cadre_ids(session)).count(),
        missing_count=missing.count(),
        missing=list(missing[:MISSING_SHOWN]),
        by_venue=by_venue,
        by_unit=_by_unit(expected, attendance),
        outside_count=sum(r.outside for r in by_venue),
        outside=list(
            outside.select_related("cadre__unit", "venue__serves").order_by(
                "venue__name", "checked_in_at", "pk"
            )[:OUTSIDE_SHOWN]
        ),
    )


def outside_area(attendance: QuerySet[Attendance]) -> QuerySet[Attendance]:
    """Check-ins at a video sub-classroom whose served area does not contain the trainee's
    unit (a 东江县 cadre scanning at 梅溪's classroom). Accepted, and flagged on the board."""
    return attendance.filter(venue__kind=Venue.Kind.VIDEO, venue__serves__isnull=False).exclude(
        cadre__unit__path__startswith=F("venue__serves__path")
    )


def room_expected(session: Session, venues: list[Venue], expected=None) -> dict[int | None, int]:
    """应到 per classroom, from the classroom assignment (``programs.rooms.room_id``)."""
    expected = expected_trainees(session).order_by() if expected is None else expected
    main_id = session.main_venue_id
    used = {v.pk for v in venues}
    counts: dict[int | None, int] = {}
    for r in expected.values("venue_id").annotate(n=Count("pk")):
        key = rooms.room_id(main_id, used, r["venue_id"])
        counts[key] = counts.get(key, 0) + r["n"]
    return counts


def _by_venue(session, expected, attendance, outside) -> list[Row]:
    venues = session_venues(session)
    rows: dict[int | None, Row] = {v.pk: Row(v.name) for v in venues}
    main_id = venues[0].pk if venues else None
    for key, n in room_expected(session, venues, expected).items():
        rows.setdefault(key if key in rows else main_id, Row(_("未指定教室"))).expected += n
    for r in attendance.values("venue_id").annotate(n=Count("pk")):
        key = r["venue_id"] if r["venue_id"] in rows else main_id
        rows.setdefault(key, Row(_("未指定教室"))).checked += r["n"]
    for r in outside.values("venue_id").annotate(n=Count("pk")):
        if r["venue_id"] in rows:
            rows[r["venue_id"]].outside += r["n"]
    return list(rows.values())


def _by_unit(expected, attendance) -> list[Row]:
    rows: dict[int, Row] = {}
    paths: dict[int, str] = {}
    fields = ("cadre__unit_id", "cadre__unit__name", "cadre__unit__path")
    for r in expected.values(*fields).annotate(n=Count("pk")):
        rows[r["cadre__unit_id"]] = Row(r["cadre__unit__name"], expected=r["n"])
        paths[r["cadre__unit_id"]] = r["cadre__unit__path"]
    for r in attendance.values(*fields).annotate(n=Count("pk")):
        row = rows.setdefault(r["cadre__unit_id"], Row(r["cadre__unit__name"]))
        paths.setdefault(r["cadre__unit_id"], r["cadre__unit__path"])
        row.checked += r["n"]
    return [rows[k] for k in sorted(rows, key=lambda k: paths[k])]


def absences_by_unit(session: Session) -> list[tuple[str, list[ProgramTrainee]]]:
    """After class: who was absent without approved leave, grouped by unit."""
    groups: dict[str, list[ProgramTrainee]] = {}
    for t in missing_trainees(session):
        groups.setdefault(t.cadre.unit.name, []).append(t)
    return list(groups.items())


def sheet_rows(session: Session) -> QuerySet[ProgramTrainee]:
    """The printed sign-in sheet: everybody expected, by unit then name."""
    return (
        expected_trainees(session)
        .select_related("cadre__unit")
        .order_by("cadre__unit__path", "cadre__name", "pk")
    )


def session_attendance(session: Session) -> dict[int, Attendance]:
    return {a.cadre_id: a for a in children_of(session, Attendance, "session")}


def own_attendance(actor: User, session: Session) -> Attendance | None:
    if not actor.cadre_id:
        return None
    return children_of(session, Attendance, "session").filter(cadre_id=actor.cadre_id).first()


@dataclass
class DeskHit:
    cadre: Cadre
    expected: bool
    attendance: Attendance | None


def desk_search(actor: User, session: Session, q: str, limit: int = 20) -> list[DeskHit]:
    """Find a trainee for manual check-in by name or the last 4 characters of the ID number:
    the session's expected trainees first, then (for walk-ins) the rest of the roster."""
    q = q.strip()
    if not q:
        return []
    match = Q(id_tail=q.upper()) if len(q) == 4 and q[:3].isdigit() else Q(name__contains=q)
    on_list = expected_trainees(session).filter(cadre_id=OuterRef("pk")).order_by()
    cadres = list(
        Cadre.objects.visible_to(actor)
        .filter(match)
        .annotate(expected=Exists(on_list))
        .select_related("unit")
        .order_by("-expected", "unit__path", "name")[:limit]
    )
    rows = {
        a.cadre_id: a
        for a in children_of(session, Attendance, "session").filter(
            cadre_id__in=[c.pk for c in cadres]
        )
    }
    return [DeskHit(c, c.expected, rows.get(c.pk)) for c in cadres]


def checked_in_at_venue(session: Session, venue: Venue) -> int:
    return children_of(session, Attendance, "session").filter(venue=venue).count()


@dataclass(frozen=True)
class RoomCount:
    checked: int
    expected: int


def room_count(session: Session, venue: Venue, venues: list[Venue]) -> RoomCount:
    """The projector's 已签到/应到 for one classroom of the session's ``venues``."""
    expected = room_expected(session, venues).get(venue.pk, 0)
    return RoomCount(checked_in_at_venue(session, venue), expected)
