"""Every read of enrollment, cut to what the actor may see.

Children of a program (or a quota, a session) are read with ``children_of`` only after the
parent itself was fetched with a scoped helper — the program is the unit of access, as in
``programs``. The few wider reads say why with a ``# scope:`` comment.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ganxun.catalog.models import Lecturer, Theme
from ganxun.core.errors import PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.models import Notice
from ganxun.core.notices import inbox_q
from ganxun.core.scoping import children_of
from ganxun.core.values import query_int
from ganxun.enrollment import eligibility, policies
from ganxun.enrollment.hours import session_hours
from ganxun.enrollment.models import (
    EligibilityGroup,
    LeaveRequest,
    Nomination,
    Quota,
    Seat,
    SelectionRule,
)
from ganxun.orgs.models import Cadre, CadreCategory, Org
from ganxun.programs import policies as program_policies
from ganxun.programs.models import Program, ProgramTrainee, Session

if TYPE_CHECKING:
    from ganxun.accounts.models import User


# --- quotas and nominations -------------------------------------------------------------------

LIVE = Q(nominations__status__in=Nomination.LIVE)


def with_counts(qs: QuerySet[Quota]) -> QuerySet[Quota]:
    return qs.annotate(
        used=Count("nominations", filter=LIVE),
        pending=Count("nominations", filter=Q(nominations__status=Nomination.Status.PENDING)),
        confirmed=Count("nominations", filter=Q(nominations__status=Nomination.Status.CONFIRMED)),
    )


def program_quotas(program: Program) -> list[Quota]:
    return list(
        with_counts(children_of(program, Quota, "program"))
        .select_related("org")
        .order_by("org__path", "batch", "kind", "id")
    )


def contact_quotas(actor: "User") -> list[Quota]:
    """The quotas of the contact's units, open programs first."""
    if not policies.is_contact(actor):
        return []
    assert actor.org is not None  # is_contact requires an org
    qs = Quota.objects.visible_to(actor).filter(org__path__startswith=actor.org.path)
    return list(
        with_counts(qs)
        .select_related("org", "program")
        .order_by("program__status", "-program__start_date", "org__path", "batch", "id")
    )


def get_quota_for(actor: "User", pk) -> Quota:
    return _get(Quota.objects.visible_to(actor).select_related("org", "program__org"), pk)


def get_nomination_for(actor: "User", pk) -> Nomination:
    qs = Nomination.objects.visible_to(actor).select_related(
        "quota__org", "program__org", "cadre__unit"
    )
    return _get(qs, pk)


@dataclass
class ProgramTarget:
    """A program's 培训对象 ready to match: groups plus the unit paths and category names
    they name."""

    groups: list[eligibility.Group]
    unit_paths: dict[int, str]
    unit_names: dict[int, str]
    category_names: dict[int, str]
    stored: bool  # groups saved as rows (else read from the text)

    @property
    def text(self) -> str:
        return eligibility.render_groups(self.groups, self.unit_names, self.category_names)


def _subtree_units(program: Program) -> list[tuple[int, str, str]]:
    return list(
        # The program was authorised by the caller; its organizer's units may lie above the
        # scope: actor's, and are read for names and paths only, to parse the 培训对象 text
        Org._base_manager.filter(path__startswith=program.org.path)
        .exclude(level=Org.Level.VILLAGE)
        .values_list("pk", "name", "path")
    )


def program_target(program: Program) -> ProgramTarget:
    """The stored groups, or — for a program saved without them, or whose text was changed
    in the program form since — the text read as groups."""
    categories = dict(CadreCategory.objects.values_list("pk", "name"))
    rows = list(
        children_of(program, EligibilityGroup, "program").prefetch_related(
            # scope: the units a held program's groups name, for their names and paths only
            Prefetch("units", queryset=Org._base_manager.only("pk", "name", "path")),
            "categories",
        )
    )
    if rows and rows[0].for_text == program.target_groups:
        units = {u.pk: u for row in rows for u in row.units.all()}
        groups = [group_of(row) for row in rows]
        paths = {pk: u.path for pk, u in units.items()}
        names = {pk: u.name for pk, u in units.items()}
        return ProgramTarget(groups, paths, names, categories, stored=True)
    subtree = _subtree_units(program) if program.target_groups else []
    groups = eligibility.parse_groups(
        program.target_groups, [(pk, name) for pk, name, _p in subtree], list(categories.items())
    )
    paths = {pk: path for pk, _n, path in subtree}
    names = {pk: name for pk, name, _p in subtree}
    return ProgramTarget(groups, paths, names, categories, stored=False)


def group_of(row: EligibilityGroup) -> eligibility.Group:
    return eligibility.Group(
        unit_ids={u.pk for u in row.units.all()},
        ranks=set(row.ranks or []),
        category_ids={c.pk for c in row.categories.all()},
        leader_roles=set(row.leader_roles or []),
        min_age=row.min_age,
        max_age=row.max_age,
    )


def annotate_eligibility(cadres: list[Cadre], program: Program) -> list[Cadre]:
    """Sets ``fit_warnings`` and ``category_names`` on each cadre (categories and unit
    prefetched). A warning means the cadre fits none of the invited groups."""
    target = program_target(program)
    day = program.start_date or timezone.localdate()
    shown: list[Any] = cadres  # the two attributes below are for the page, not model fields
    for c in shown:
        c.category_names = "、".join(sorted(cat.name for cat in c.categories.all()))
        c.fit_warnings = eligibility.warnings_for(
            target.groups,
            eligibility.facts_of(c),
            target.unit_paths,
            target.category_names,
            day,
        )
    return cadres


def quota_nominations(quota: Quota) -> list[Nomination]:
    """All rows of the quota, history included, newest first."""
    rows = list(
        children_of(quota, Nomination, "quota")
        .select_related("cadre__unit", "nominated_by", "decided_by", "replaces__cadre")
        .prefetch_related(Prefetch("cadre__categories", queryset=CadreCategory.objects.all()))
        .order_by("-nominated_at", "-id")
    )
    annotate_eligibility([n.cadre for n in rows], quota.program)
    return rows


def nomination_candidates(actor: "User", quota: Quota, q: str = "") -> QuerySet[Cadre]:
    """Active cadres of the quota's unit the contact sees and who are not nominated yet."""
    # The whole program's rows: a cadre nominated through another unit's quota is taken too.
    taken = children_of(quota.program, Nomination, "program")
    taken = taken.filter(status__in=Nomination.LIVE).values("cadre_id")
    enrolled = (
        children_of(quota.program, ProgramTrainee, "program")
        .exclude(source=ProgramTrainee.Source.SELF_SELECTED)
        .values("cadre_id")
    )
    qs = (
        Cadre.objects.visible_to(actor)
        .filter(unit__path__startswith=quota.org.path, status=Cadre.Status.ACTIVE)
        .exclude(pk__in=taken)
        .exclude(pk__in=enrolled)
        .select_related("unit")
        .prefetch_related(Prefetch("categories", queryset=CadreCategory.objects.all()))
    )
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(position__contains=q) | Q(id_tail=q))
    return qs.order_by("unit__path", "name", "id")


def program_nominations(program: Program, status: str = "") -> list[Nomination]:
    qs = children_of(program, Nomination, "program")
    if status:
        qs = qs.filter(status=status)
    rows = list(
        qs.select_related("cadre__unit", "quota__org", "nominated_by", "replaces__cadre")
        .prefetch_related(Prefetch("cadre__categories", queryset=CadreCategory.objects.all()))
        .order_by("quota__org__path", "-nominated_at", "-id")[:500]
    )
    annotate_eligibility([n.cadre for n in rows], program)
    return rows


# --- self-selection ---------------------------------------------------------------------------


def _menu_base(actor: "User") -> QuerySet[Session]:
    """Open self-selectable sessions of programs organized by the trainee's unit or above."""
    if not policies.can_select(actor):
        return Session.objects.visible_to(actor).none()
    assert actor.cadre is not None  # can_select requires a cadre
    unit = actor.cadre.unit
    # The menu offers sessions of programs the trainee is not in yet (so not visible to them):
    # scope: only self-selectable, scheduled sessions of programs organized at their unit or above
    return Session._base_manager.filter(
        self_selectable=True,
        status=Session.Status.SCHEDULED,
        program__org_id__in=[*unit.ancestor_ids, unit.pk],
    ).exclude(program__status=Program.Status.CLOSED)


def _with_seat_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.annotate(
        n_enrolled=Count("seats", filter=Q(seats__status=Seat.Status.ENROLLED)),
        n_waiting=Count("seats", filter=Q(seats__status=Seat.Status.WAITLISTED)),
    )


def menu_sessions(actor: "User", *, theme: str = "", form: str = "") -> list[Session]:
    """The 自助餐 menu: upcoming picks with seats left, each marked with the trainee's seat."""
    qs = _menu_base(actor).filter(starts_at__gt=timezone.now())
    if (theme_id := query_int(theme, min_value=1)) is not None:
        qs = qs.filter(Q(course__theme_id=theme_id) | Q(unit__theme_id=theme_id))
    if form:
        qs = qs.filter(form=form)
    # Annotated and marked for the menu page: my_seat, theme, seats_left, closes_at.
    sessions: list[Any] = list(
        _with_seat_counts(qs)
        .select_related("program", "unit__theme", "course__theme", "main_venue")
        .prefetch_related(
            # scope: the names of the lecturers of the menu's sessions, shown on the menu
            Prefetch("lecturers", queryset=Lecturer._base_manager.order_by("name"))
        )
        .order_by("starts_at", "id")[:200]
    )
    mine = {
        s.session_id: s
        for s in Seat.objects.visible_to(actor).filter(
            cadre_id=own_cadre_id(actor), status__in=Seat.LIVE, session__in=[x.pk for x in sessions]
        )
    }
    for s in sessions:
        s.my_seat = mine.get(s.pk)
        s.theme = (s.course.theme if s.course and s.course.theme else None) or (
            s.unit.theme if s.unit else None
        )
        s.seats_left = None if s.capacity is None else max(0, s.capacity - s.n_enrolled)
        s.closes_at = s.selection_deadline or s.starts_at
    return sessions


def menu_themes(actor: "User") -> list[Theme]:
    base = _menu_base(actor).filter(starts_at__gt=timezone.now())
    ids = set(base.values_list("course__theme_id", flat=True)) | set(
        base.values_list("unit__theme_id", flat=True)
    )
    # scope: the themes of the menu's sessions (read above through _menu_base), names only
    return list(Theme._base_manager.filter(pk__in=[i for i in ids if i]).order_by("name"))


def get_menu_session_for(actor: "User", pk) -> Session:
    return _get(_menu_base(actor).select_related("program__org"), pk)


def get_seat_for(actor: "User", pk) -> Seat:
    return _get(Seat.objects.visible_to(actor).select_related("session__program__org"), pk)


def own_cadre_id(actor: "User") -> int:
    """The trainee's own roster record; the policy checked before (a trainee may select, ask
    leave) requires one."""
    assert actor.cadre_id is not None, "a trainee's account is linked to a roster record"
    return actor.cadre_id


def my_seats(actor: "User") -> list[Seat]:
    """The trainee's picks, upcoming live ones first, each waitlisted one with its place."""
    if not policies.can_select(actor):
        return []
    # Any: the page's attributes (position, can_cancel) are set on the rows below
    seats: list[Any] = list(
        Seat.objects.visible_to(actor)
        .filter(cadre_id=own_cadre_id(actor))
        .select_related("session__program", "session__main_venue")
        .order_by("-session__starts_at", "-id")[:100]
    )
    waiting = [s for s in seats if s.status == Seat.Status.WAITLISTED]
    if waiting:
        ahead = (
            # Other trainees' waitlisted seats on the trainee's sessions, by id only:
            # scope: they give the trainee's place in the queue; no row leaves this function
            Seat._base_manager.filter(
                session_id__in=[s.session_id for s in waiting], status=Seat.Status.WAITLISTED
            )
            .values_list("session_id", "id")
            .order_by("id")
        )
        pairs = list(ahead)
        for s in waiting:
            s.position = 1 + sum(1 for sid, i in pairs if sid == s.session_id and i < s.pk)
    now = timezone.now()
    for s in seats:
        s.can_cancel = s.status in Seat.LIVE and now < (
            s.session.selection_deadline or s.session.starts_at
        )
    return seats


def program_selection(program: Program) -> list[Session]:
    qs = children_of(program, Session, "program").filter(self_selectable=True)
    return list(_with_seat_counts(qs).order_by("starts_at", "id"))


def session_seats(session: Session) -> list[Seat]:
    return list(
        children_of(session, Seat, "session").select_related("cadre__unit").order_by("status", "id")
    )


def selection_rules(program: Program) -> dict[str, int | None]:
    # The rules binding a held program (its own, its organizer's yearly cap), shown with it:
    # scope: an organizer below the program's org sees the caps its trainees are held to
    rules = SelectionRule._base_manager.filter(
        Q(period=SelectionRule.Period.PROGRAM, program=program)
        | Q(period=SelectionRule.Period.YEAR, org=program.org, program__isnull=True)
    )
    out: dict[str, int | None] = {"per_program": None, "per_year": None}
    for rule in rules:
        key = "per_program" if rule.period == SelectionRule.Period.PROGRAM else "per_year"
        out[key] = rule.max_picks
    return out


def get_program_session_for(actor: "User", pk) -> Session:
    """A session of a program the actor manages (organizer pages)."""
    session = _get(Session.objects.visible_to(actor).select_related("program__org"), pk)
    if not policies.can_manage_quotas(actor, session.program):
        raise PermissionDenied()
    return session


# --- leave ------------------------------------------------------------------------------------


def approved_leave_cadre_ids(session: Session) -> QuerySet:
    """Cadres on approved leave for ``session`` (absence lists leave them out)."""
    leave = children_of(session, LeaveRequest, "session")
    return leave.filter(status=LeaveRequest.Status.APPROVED).values_list("cadre_id", flat=True)


def get_leave_for(actor: "User", pk) -> LeaveRequest:
    qs = LeaveRequest.objects.visible_to(actor).select_related(
        "session__program__org", "cadre__unit"
    )
    return _get(qs, pk)


def my_leave(actor: "User") -> list[LeaveRequest]:
    if not policies.is_trainee(actor):
        return []
    return list(
        LeaveRequest.objects.visible_to(actor)
        .filter(cadre_id=own_cadre_id(actor))
        .select_related("session__program")
        .order_by("-requested_at", "-id")[:100]
    )


def leave_candidates(actor: "User") -> list[Session]:
    """Upcoming sessions the trainee is expected at (the rule of ``expected``, evaluated for
    one trainee in three queries) and may still ask leave for."""
    if not policies.is_trainee(actor):
        return []
    own = ProgramTrainee.objects.visible_to(actor).filter(cadre_id=own_cadre_id(actor))
    rows = {t.program_id: t for t in own}
    upcoming_qs = (
        Session.objects.visible_to(actor)
        .filter(
            program_id__in=list(rows), status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .select_related("program")
        .order_by("starts_at", "id")[:100]
    )
    upcoming = list(upcoming_qs)
    seated = set(
        Seat.objects.visible_to(actor)
        .filter(
            cadre_id=own_cadre_id(actor),
            status=Seat.Status.ENROLLED,
            session_id__in=[s.pk for s in upcoming],
        )
        .values_list("session_id", flat=True)
    )
    out = []
    for s in upcoming:
        row = rows[s.program_id]
        if s.self_selectable:
            hit = s.pk in seated
        else:
            hit = row.source != ProgramTrainee.Source.SELF_SELECTED and (
                not s.batch or s.batch == row.batch
            )
        if hit:
            out.append(s)
    return out


def get_leave_session_for(actor: "User", pk) -> Session:
    """A session of the trainee's programs (whether leave is still possible is the service's
    call, so a late request gets the reason, not a 404)."""
    if not policies.is_trainee(actor):
        raise PermissionDenied()
    return _get(Session.objects.visible_to(actor).select_related("program"), pk)


def leave_to_decide(actor: "User") -> list[LeaveRequest]:
    """Pending requests waiting for this user: as unit contact (first step) or as organizer
    (second step of long leave)."""
    if actor.org is None:
        return []  # an account without an org sees no request (LeaveRequest.scope_q)
    qs = LeaveRequest.objects.visible_to(actor).filter(status=LeaveRequest.Status.PENDING)
    wanted = Q(pk__in=[])
    if policies.is_contact(actor):
        wanted |= Q(contact_approved_by__isnull=True, cadre__unit__path__startswith=actor.org.path)
    if program_policies.can_manage_programs(actor):
        wanted |= Q(
            contact_approved_by__isnull=False,
            session__program__org__path__startswith=actor.org.path,
        )
    return list(
        qs.filter(wanted)
        .select_related("session__program", "cadre__unit", "contact_approved_by")
        .order_by("session__starts_at", "id")[:200]
    )


@dataclass(frozen=True)
class LeaveShare:
    leave_hours: Decimal
    total_hours: Decimal
    limit: Decimal

    @property
    def share(self) -> Decimal:
        return self.leave_hours / self.total_hours if self.total_hours else Decimal(0)

    @property
    def over_limit(self) -> bool:
        return self.leave_hours > 0 and self.share > self.limit

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}"

    @property
    def limit_percent(self) -> str:
        return f"{self.limit * 100:.1f}"


def _expected_hours(program, sessions, trainees, seated) -> dict[int, Decimal]:
    """Hours each trainee is expected to attend: the regular sessions of their batch (unless
    they joined by self-selection only) plus the self-selected sessions they hold a seat on."""
    totals: dict[int, Decimal] = {}
    for t in trainees:
        total = Decimal(0)
        for s in sessions:
            if s.self_selectable:
                hit = (s.pk, t.cadre_id) in seated
            else:
                self_only = t.source == ProgramTrainee.Source.SELF_SELECTED
                hit = not self_only and (not s.batch or s.batch == t.batch)
            if hit:
                total += session_hours(s)
        totals[t.cadre_id] = total
    return totals


def program_leave_shares(program: Program, cadre_ids=None) -> dict[int, LeaveShare]:
    """Approved leave against expected hours per trainee (four queries whatever the size)."""
    sessions = list(
        children_of(program, Session, "program").filter(status=Session.Status.SCHEDULED)
    )
    trainees = children_of(program, ProgramTrainee, "program")
    leaves = children_of(program, LeaveRequest, "session__program")
    leaves = leaves.filter(status=LeaveRequest.Status.APPROVED).select_related("session")
    seats = children_of(program, Seat, "session__program").filter(status=Seat.Status.ENROLLED)
    if cadre_ids is not None:
        trainees, leaves = (
            trainees.filter(cadre_id__in=cadre_ids),
            leaves.filter(cadre_id__in=cadre_ids),
        )
        seats = seats.filter(cadre_id__in=cadre_ids)
    seated = set(seats.values_list("session_id", "cadre_id"))
    totals = _expected_hours(program, sessions, list(trainees), seated)
    taken: dict[int, Decimal] = {}
    for leave in leaves:
        taken[leave.cadre_id] = taken.get(leave.cadre_id, Decimal(0)) + session_hours(leave.session)
    return {
        cid: LeaveShare(taken.get(cid, Decimal(0)), total, Decimal(program.leave_limit))
        for cid, total in totals.items()
    }


def leave_share(program: Program, cadre: Cadre) -> LeaveShare:
    return program_leave_shares(program, [cadre.pk]).get(
        cadre.pk, LeaveShare(Decimal(0), Decimal(0), Decimal(program.leave_limit))
    )


def program_leave(program: Program, status: str = "") -> tuple[list[LeaveRequest], dict]:
    qs = children_of(program, LeaveRequest, "session__program")
    if status:
        qs = qs.filter(status=status)
    rows = list(
        qs.select_related("session", "cadre__unit", "contact_approved_by", "decided_by").order_by(
            "-requested_at", "-id"
        )[:500]
    )
    shares = program_leave_shares(program, {r.cadre_id for r in rows})
    for r in rows:
        r.share = shares.get(r.cadre_id)
        r.hours = session_hours(r.session)
    return rows, shares


# --- inbox ------------------------------------------------------------------------------------


def my_notices(actor: "User") -> QuerySet[Notice]:
    return Notice.objects.filter(inbox_q(actor)).order_by("-created_at", "-id")


def unread_count(actor: "User") -> int:
    return Notice.objects.filter(inbox_q(actor), read_at__isnull=True).count()
