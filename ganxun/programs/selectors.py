"""Every read of programs, cut to what the actor may see.

Children of a program (units, sessions, trainees) are read with ``children_of`` only after the
program itself was fetched with ``get_program_for`` — the program is the unit of access.
Lists run a fixed number of queries: lecturers and classrooms come in one prefetch each.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.catalog.models import Lecturer, Material
from ganxun.core.errors import PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.programs import policies
from ganxun.programs.conflicts import slot_label, trainee_double_bookings
from ganxun.programs.loop import loop_progress
from ganxun.programs.models import (
    Consultation,
    Outline,
    OutlineStatus,
    Program,
    ProgramTrainee,
    ProgramUnit,
    Session,
    Venue,
)
from ganxun.programs.outline_groups import outline_holder, outline_siblings
from ganxun.programs.participation import ONLY_OWN_SESSIONS, participation

if TYPE_CHECKING:
    from ganxun.accounts.models import User


# --- programs --------------------------------------------------------------------------------


def _count(model, **filters):
    """A correlated COUNT, so several counts on one list do not multiply each other's rows."""
    # scope: correlated to the outer program list, already narrowed: its programs' own children
    rows = model._base_manager.filter(program=OuterRef("pk"), **filters).order_by()
    return Coalesce(Subquery(rows.values("program").annotate(n=Count("pk")).values("n")[:1]), 0)


def program_list(actor: "User", *, q: str = "", status: str = "") -> QuerySet[Program]:
    qs: QuerySet[Program] = Program.objects.visible_to(actor).select_related("org")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(brand__contains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        n_units=_count(ProgramUnit),
        n_sessions=_count(Session, status=Session.Status.SCHEDULED),
        n_trainees=_count(ProgramTrainee),
    )


def get_program_for(actor: "User", pk) -> Program:
    qs = Program.objects.visible_to(actor).select_related("org", "main_venue", "menu_call")
    return _get(qs, pk)


def get_managed_program_for(actor: "User", pk) -> Program:
    """For pages that change a program: 404 when unseen, 403 when only readable."""
    program = get_program_for(actor, pk)
    if not policies.can_manage_program(actor, program):
        raise PermissionDenied()
    return program


def program_units(program: Program) -> list[ProgramUnit]:
    return list(
        children_of(program, ProgramUnit, "program")
        .select_related("theme")
        # scope: the reading lists of the held units, whichever org keeps each material
        .prefetch_related(Prefetch("materials", queryset=Material._base_manager.all()))
        .annotate(n_sessions=Count("sessions", filter=Q(sessions__status="scheduled")))
        .order_by("seq")
    )


def get_unit_for(actor: "User", pk) -> ProgramUnit:
    return _get(ProgramUnit.objects.visible_to(actor).select_related("program", "theme"), pk)


def unit_material(unit: ProgramUnit, pk: int | None) -> Material | None:
    """A material on the held unit's reading list, None for any other id (then the trainee's
    step is refused as not on the list)."""
    if pk is None:
        return None
    listed = ProgramUnit.materials.through.objects.filter(programunit=unit, material_id=pk)
    row = listed.select_related("material").first()
    return row.material if row else None


def program_reviewers(program: Program):
    ids = Program.reviewers.through.objects.filter(program=program).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("display_name", "username"))


# --- sessions --------------------------------------------------------------------------------


def with_details(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.select_related("program", "unit", "course", "main_venue").prefetch_related(
        # scope: the lecturers of the (narrowed or held) sessions, whichever org keeps them
        Prefetch("lecturers", queryset=Lecturer._base_manager.order_by("name")),
        # scope: the classrooms of the same sessions, whichever org keeps them
        Prefetch("sub_venues", queryset=Venue._base_manager.select_related("serves")),
    )


def program_sessions(program: Program, *, include_cancelled: bool = False) -> QuerySet[Session]:
    qs = children_of(program, Session, "program")
    if not include_cancelled:
        qs = qs.filter(status=Session.Status.SCHEDULED)
    return with_details(qs).order_by("starts_at", "id")


def get_session_for(actor: "User", pk) -> Session:
    return _get(with_details(Session.objects.visible_to(actor)), pk)


def session_outlines(session: Session) -> list[Outline]:
    """The outline versions of the session's group (one outline per course and lecturer)."""
    holder = outline_holder(outline_siblings(session))
    return list(
        children_of(holder, Outline, "session")
        .select_related("submitted_by")
        .prefetch_related("decisions__decided_by")
        .order_by("-version")
    )


def get_outline_for(actor: "User", pk) -> Outline:
    return _get(Outline.objects.visible_to(actor).select_related("session__program"), pk)


def session_consultation(session: Session) -> Consultation | None:
    return (
        children_of(session, Consultation, "session")
        .select_related("organizer", "lecturer")
        .prefetch_related(
            Prefetch(
                "representatives",
                # representatives are the program's trainees (checked when chosen)
                queryset=children_of(session.program, ProgramTrainee, "program").select_related(
                    "cadre__unit"
                ),
            ),
            "expectations__representative__cadre",
        )
        .first()
    )


UPCOMING_OUTLINE = ~Q(outline_status=OutlineStatus.APPROVED)


def sessions_without_approved_outline(actor: "User") -> QuerySet[Session]:
    """The organizer's worry list: future sessions of programs they run, nearest first."""
    # An account without an org sees no program (Program.scope_q): nothing to worry about.
    if not policies.can_manage_programs(actor) or actor.org is None:
        return Session.objects.visible_to(actor).none()
    return (
        Session.objects.visible_to(actor)
        .filter(program__org__path__startswith=actor.org.path)
        .filter(status=Session.Status.SCHEDULED, starts_at__gte=timezone.now())
        .filter(UPCOMING_OUTLINE)
        .select_related("program")
        # scope: the lecturers of the narrowed sessions above, whichever org keeps them
        .prefetch_related(Prefetch("lecturers", queryset=Lecturer._base_manager.only("name")))
        .order_by("starts_at", "id")
    )


def outlines_to_review(actor: "User") -> QuerySet[Session]:
    """Sessions whose latest outline waits for this reviewer, nearest first."""
    reviewing = Program.reviewers.through.objects.filter(user_id=actor.pk).values("program_id")
    return (
        Session.objects.visible_to(actor)
        .filter(program_id__in=reviewing, status=Session.Status.SCHEDULED)
        .filter(outline_status=OutlineStatus.SUBMITTED)
        # One entry per outline: the session holding it (batch 2 of a class shares batch 1's).
        # scope: correlated to the outer sessions, already narrowed to the reviewer's view
        .filter(Exists(Outline._base_manager.filter(session=OuterRef("pk"))))
        .select_related("program")
        # scope: the lecturers of the narrowed sessions above, whichever org keeps them
        .prefetch_related(Prefetch("lecturers", queryset=Lecturer._base_manager.only("name")))
        .order_by("starts_at", "id")
    )


def lecturer_sessions(actor: "User", *, upcoming: bool = True) -> QuerySet[Session]:
    """The sessions the account's cadre teaches (see ``policies`` for the link)."""
    if not policies.can_teach(actor):
        return Session.objects.visible_to(actor).none()
    assert actor.cadre_id is not None  # can_teach requires a cadre
    qs = Session.objects.visible_to(actor).filter(
        lecturers__cadre_id=actor.cadre_id, status=Session.Status.SCHEDULED
    )
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    return with_details(qs.distinct()).order_by("starts_at", "id")


def my_trainee_rows(actor: "User") -> list[ProgramTrainee]:
    if not policies.is_trainee(actor):
        return []
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    return list(
        ProgramTrainee.objects.visible_to(actor)
        .filter(cadre_id=actor.cadre_id)
        .select_related("program", "venue")
        .order_by("-program__start_date")
    )


def trainee_sessions_q(rows: list[ProgramTrainee]) -> Q:
    """The sessions a trainee is expected at (the rule of ``enrollment.expected``): their
    programs' regular sessions for everybody and for their own batch, plus the self-selectable
    sessions where they hold a seat. Self-selected and walk-in trainees only get the latter."""
    q = Q(pk__in=[])
    for row in rows:
        if row.source in ONLY_OWN_SESSIONS:
            continue
        batch = Q(batch__isnull=True) | Q(batch=row.batch) if row.batch else Q()
        q |= Q(program_id=row.program_id, self_selectable=False) & batch
    cadre_ids = {row.cadre_id for row in rows}
    if cadre_ids:
        seats = participation().enrolled_seats().filter(cadre_id__in=cadre_ids)
        q |= Q(pk__in=seats.values("session_id"))
    return q


def trainee_sessions(actor: "User", rows: list[ProgramTrainee] | None = None) -> QuerySet[Session]:
    rows = my_trainee_rows(actor) if rows is None else rows
    qs = Session.objects.visible_to(actor).filter(status=Session.Status.SCHEDULED)
    return with_details(qs.filter(trainee_sessions_q(rows))).order_by("starts_at", "id")


def my_double_bookings(actor: "User", since) -> dict[int, str]:
    """The trainee's sessions from ``since`` on that clash with another of their sessions:
    session id → what it clashes with (the rule lives in ``conflicts``)."""
    if not policies.is_trainee(actor):
        return {}
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    clashes: dict[int, str] = {}
    for b in trainee_double_bookings(cadre_ids=[actor.cadre_id], since=since):
        for mine, other in ((b.first, b.second), (b.second, b.first)):
            assert isinstance(mine, Session)  # no candidates given: both are saved sessions
            label = slot_label(other)
            clashes[mine.pk] = f"{clashes[mine.pk]}；{label}" if mine.pk in clashes else label
    return clashes


def next_session_for_trainee(actor: "User") -> Session | None:
    return trainee_sessions(actor).filter(ends_at__gte=timezone.now()).first()


# --- calendars -------------------------------------------------------------------------------


@dataclass
class Window:
    start: date
    end: date  # exclusive

    def bounds(self) -> tuple[datetime, datetime]:
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(self.end, time.min)),
        )


def month_window(day: date) -> Window:
    """Whole weeks (Monday to Sunday) covering the month of ``day``."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = nxt + timedelta(days=(7 - nxt.weekday()) % 7)
    return Window(start, end)


def week_window(day: date) -> Window:
    start = day - timedelta(days=day.weekday())
    return Window(start, start + timedelta(days=7))


def in_window(qs: QuerySet[Session], window: Window) -> QuerySet[Session]:
    lo, hi = window.bounds()
    return qs.filter(starts_at__lt=hi, ends_at__gt=lo)


def venue_sessions(actor: "User", venue: Venue) -> QuerySet[Session]:
    qs = Session.objects.visible_to(actor).filter(status=Session.Status.SCHEDULED)
    qs = qs.filter(Q(main_venue=venue) | Q(sub_venues=venue)).distinct()
    return with_details(qs).order_by("starts_at", "id")


def lecturer_calendar_sessions(actor: "User", lecturer: Lecturer) -> QuerySet[Session]:
    qs = Session.objects.visible_to(actor).filter(
        status=Session.Status.SCHEDULED, lecturers=lecturer
    )
    return with_details(qs.distinct()).order_by("starts_at", "id")


def get_venue_for(actor: "User", pk) -> Venue:
    return _get(Venue.objects.visible_to(actor).select_related("owner", "serves"), pk)


def venue_list(actor: "User") -> QuerySet[Venue]:
    return Venue.objects.visible_to(actor).select_related("owner", "serves")


# --- trainees and progress -------------------------------------------------------------------


def program_trainees(program: Program) -> QuerySet[ProgramTrainee]:
    return (
        children_of(program, ProgramTrainee, "program")
        .select_related("cadre__unit", "venue")
        .order_by("cadre__unit__path", "cadre__name", "id")
    )


def get_trainee_for(actor: "User", pk) -> ProgramTrainee:
    qs = ProgramTrainee.objects.visible_to(actor).select_related("program", "cadre__unit")
    return _get(qs, pk)


def batch_overview(program: Program) -> list[dict]:
    """Per unit: trainees per batch, and who leads which batch."""
    rows = (
        children_of(program, ProgramTrainee, "program")
        .values("cadre__unit_id", "cadre__unit__name", "batch")
        .annotate(n=Count("pk"))
        .order_by("cadre__unit__path")
    )
    units: dict[int, dict] = {}
    for r in rows:
        u = units.setdefault(
            r["cadre__unit_id"],
            {"name": r["cadre__unit__name"], "by_batch": {}, "total": 0},
        )
        u["by_batch"][r["batch"]] = r["n"]
        u["total"] += r["n"]
    for u in units.values():
        u["cells"] = [
            (_("第%(batch)s批") % {"batch": b} if b else _("未分批"), u["by_batch"].get(b, 0))
            for b in [*program.batch_numbers(), None]
        ]
    return list(units.values())


def unit_progress(program: Program, trainee: ProgramTrainee, units: list[ProgramUnit]) -> list:
    """For each unit, each step of the program's loop (``programs.loop``: sessions count the
    trainee's check-ins): kind, label, done, total and the step's detail."""
    progress = loop_progress(program, [trainee], units)
    return [
        {
            "unit": unit,
            "steps": [
                {"kind": kind, "label": label, **progress[(trainee.pk, unit.pk)][kind]}
                for kind, label in program.step_labels()
            ],
        }
        for unit in units
    ]


def lecturer_future_sessions(lecturer: Lecturer) -> list[str]:
    """The lecturer's scheduled sessions still to come, named for a refusal message (used by
    the catalogue before deleting a lecturer). Across all orgs: a teacher is one person."""
    sessions = (
        # scope: across all orgs on purpose (a teacher is one person); only titles for a refusal
        Session._base_manager.filter(
            lecturers=lecturer, status=Session.Status.SCHEDULED, ends_at__gte=timezone.now()
        )
        .select_related("program")
        .order_by("starts_at")
    )
    return [
        _("课次《%(title)s》（%(full_name)s，%(value)s）")
        % {"title": s.title, "full_name": s.program.full_name, "value": _at(s.starts_at)}
        for s in sessions
    ]


def _at(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
