"""Writes to programs, their units, classrooms and trainee lists. One transaction each, audited."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role, User
from ganxun.catalog.models import Material, ProposalCall, Theme
from ganxun.core.audit import audit_record
from ganxun.core.bulk import Preview, require_unchanged
from ganxun.core.bulk import fingerprint as bulk_fingerprint
from ganxun.core.errors import PermissionDenied
from ganxun.orgs.models import Cadre, Org
from ganxun.programs import policies
from ganxun.programs.batching import MAX_BATCHES
from ganxun.programs.dates import local_day
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import (
    STEP_KINDS,
    Channel,
    Program,
    ProgramTrainee,
    ProgramUnit,
    Session,
    Venue,
    default_steps,
)
from ganxun.programs.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_manager,
    require_visible,
    set_links,
)

PROGRAM_FIELDS = [
    "name",
    "brand",
    "cohort",
    "target_groups",
    "start_date",
    "end_date",
    "goals",
    "funding",
    "menu_call",
    "steps",
    "batch_count",
    "min_on_duty",
    "outline_days_before",
    "main_venue",
    "status",
    "channel",
    "leave_limit",
    "leave_organizer_hours",
]
PROGRAM_LINKS = ("reviewers", "sub_venues")


@dataclass
class ProgramData:
    name: str
    start_date: date
    end_date: date
    brand: str = ""
    cohort: int | None = None
    target_groups: str = ""
    goals: str = ""
    funding: str = ""
    menu_call: ProposalCall | None = None
    steps: list[dict] = field(default_factory=default_steps)
    batch_count: int = 1
    min_on_duty: Decimal = Decimal("0.40")
    outline_days_before: int = 7
    reviewers: list[User] = field(default_factory=list)
    main_venue: Venue | None = None
    sub_venues: list[Venue] = field(default_factory=list)
    status: str = Program.Status.DRAFT
    channel: str = Channel.LOCAL
    leave_limit: Decimal = Decimal("0.143")
    leave_organizer_hours: Decimal = Decimal("4")


def _validate_program(actor: User, data: ProgramData) -> ProgramData:
    data.name = clean_text(data.name, field="name", label=_("项目名称"), max_length=200)
    data.brand = clean_text(
        data.brand, field="brand", label=_("培训品牌"), required=False, max_length=50
    )
    if data.end_date < data.start_date:
        raise ProgramError("invalid_period", _("结束日期不能早于开始日期。"), field="end_date")
    if not 1 <= data.batch_count <= MAX_BATCHES:
        raise ProgramError(
            "invalid_batches",
            _("批次数应在 1 到 %(max_batches)s 之间。") % {"max_batches": MAX_BATCHES},
            field="batch_count",
        )
    try:
        share = Decimal(str(data.min_on_duty))
    except InvalidOperation as exc:
        raise ProgramError(
            "invalid_share", _("在岗比例应是 0 到 1 之间的小数。"), field="min_on_duty"
        ) from exc
    if not Decimal(0) <= share < Decimal(1):
        raise ProgramError("invalid_share", _("在岗比例应不小于 0 且小于 1。"), field="min_on_duty")
    data.min_on_duty = share.quantize(Decimal("0.01"))
    data.steps = _clean_steps(data.steps)
    if data.outline_days_before > 60:
        raise ProgramError(
            "invalid_deadline", _("提纲截止最多为课前 60 天。"), field="outline_days_before"
        )
    _check_leave_rules(data)
    venues = [data.main_venue, *data.sub_venues]
    require_visible(actor, Venue, venues, field="sub_venues", label=_("教室"))
    if data.menu_call is not None:
        require_visible(
            actor, ProposalCall, [data.menu_call], field="menu_call", label=_("课程征集")
        )
    _check_reviewers(data.reviewers)
    return data


def _check_leave_rules(data: ProgramData) -> None:
    if data.channel not in Channel.values:
        raise ProgramError("invalid_channel", _("请选择培训方式。"), field="channel")
    if not Decimal(0) < Decimal(data.leave_limit) <= Decimal(1):
        raise ProgramError(
            "invalid_leave_limit",
            _("请假上限应大于 0 且不超过 1（如 0.143 即 1/7）。"),
            field="leave_limit",
        )
    if Decimal(data.leave_organizer_hours) < 0:
        raise ProgramError(
            "invalid_leave_hours", _("请假时长门槛不能为负数。"), field="leave_organizer_hours"
        )


def _clean_steps(steps: list[dict]) -> list[dict]:
    out: list[dict] = []
    for step in steps:
        kind = step.get("kind")
        if kind not in STEP_KINDS or any(s["kind"] == kind for s in out):
            raise ProgramError("invalid_steps", _("学习闭环的步骤类型无效或重复。"), field="steps")
        label = str(step.get("label") or STEP_KINDS[kind]).strip()[:30]
        out.append({"kind": kind, "label": label})
    if not out:
        raise ProgramError("invalid_steps", _("学习闭环至少要有一个步骤。"), field="steps")
    return out


def _check_reviewers(reviewers: list[User]) -> None:
    for user in reviewers:
        if not user.has_role(Role.REVIEWER):
            raise ProgramError(
                "not_reviewer",
                _("%(user)s不是审核领导账号，不能审核提纲。") % {"user": user},
                field="reviewers",
            )


def _apply(program: Program, data: ProgramData) -> None:
    for name in PROGRAM_FIELDS:
        setattr(program, name, getattr(data, name))
    program.save()
    set_links(program, "reviewers", data.reviewers)
    set_links(program, "sub_venues", data.sub_venues)


@transaction.atomic
def program_create(*, actor: User, data: ProgramData, org: Org | None = None) -> Program:
    org = org or actor.org
    if not policies.can_manage_programs(actor) or not policies.manages_org(actor, org):
        raise PermissionDenied()
    data = _validate_program(actor, data)
    program = Program(org=org, created_by=actor)
    _apply(program, data)
    record(actor, "create", program, {}, full_snapshot(program, PROGRAM_FIELDS, PROGRAM_LINKS))
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, data: ProgramData) -> Program:
    require_manager(actor, program)
    data = _validate_program(actor, data)
    _check_sessions_fit(program, data)
    before = full_snapshot(program, PROGRAM_FIELDS, PROGRAM_LINKS)
    _apply(program, data)
    record(actor, "update", program, before, full_snapshot(program, PROGRAM_FIELDS, PROGRAM_LINKS))
    return program


def _check_sessions_fit(program: Program, data: ProgramData) -> None:
    """Shrinking the period or the batches must not strand sessions or trainees."""
    sessions = Session._base_manager.filter(program=program, status=Session.Status.SCHEDULED)
    first = sessions.order_by("starts_at").first()
    last = sessions.order_by("-ends_at").first()
    if (
        first
        and last  # found whenever first is
        and (
            local_day(first.starts_at) < data.start_date or local_day(last.ends_at) > data.end_date
        )
    ):
        raise ProgramError(
            "sessions_outside",
            _("已有课次排在 %(first)s 至 %(last)s，项目周期须包含这些日期。")
            % {"first": local_day(first.starts_at), "last": local_day(last.ends_at)},
            field="start_date",
        )
    too_high = sessions.filter(batch__gt=data.batch_count).count()
    trainees = ProgramTrainee._base_manager.filter(program=program, batch__gt=data.batch_count)
    if too_high or trainees.exists():
        raise ProgramError(
            "batches_in_use",
            _("已有课次或学员排在第 %(batch)s 批及以后，请先调整后再减少批次数。")
            % {"batch": data.batch_count + 1},
            field="batch_count",
        )


# --- units -----------------------------------------------------------------------------------

UNIT_FIELDS = ["seq", "title", "theme", "start_date", "end_date", "summary_due", "description"]


@dataclass
class UnitData:
    title: str
    start_date: date
    end_date: date
    seq: int | None = None
    theme: Theme | None = None
    summary_due: date | None = None
    description: str = ""
    materials: list[Material] = field(default_factory=list)


def _validate_unit(
    actor: User, program: Program, unit: ProgramUnit | None, data: UnitData
) -> UnitData:
    data.title = clean_text(data.title, field="title", label=_("单元名称"), max_length=100)
    if data.end_date < data.start_date:
        raise ProgramError("invalid_period", _("单元结束日期不能早于开始日期。"), field="end_date")
    if data.start_date < program.start_date or data.end_date > program.end_date:
        raise ProgramError(
            "unit_outside_program",
            _("单元日期须在项目周期（%(start_date)s至%(end_date)s）内。")
            % {"start_date": program.start_date, "end_date": program.end_date},
            field="start_date",
        )
    if data.summary_due and data.summary_due < data.start_date:
        raise ProgramError(
            "invalid_due", _("学用成果截止日期不能早于单元开始。"), field="summary_due"
        )
    require_visible(actor, Theme, [data.theme], field="theme", label=_("专题"))
    require_visible(actor, Material, data.materials, field="materials", label=_("教材资料"))
    taken = ProgramUnit._base_manager.filter(program=program)
    if unit is not None:
        taken = taken.exclude(pk=unit.pk)
    if data.seq is None:
        data.seq = (max(taken.values_list("seq", flat=True), default=0)) + 1
    elif taken.filter(seq=data.seq).exists():
        raise ProgramError(
            "duplicate_seq", _("已有第%(seq)s单元。") % {"seq": data.seq}, field="seq"
        )
    if unit is not None:
        _check_unit_sessions(unit, data)
    return data


def _check_unit_sessions(unit: ProgramUnit, data: UnitData) -> None:
    sessions = Session._base_manager.filter(unit=unit, status=Session.Status.SCHEDULED)
    outside = [
        s
        for s in sessions
        if local_day(s.starts_at) < data.start_date or local_day(s.ends_at) > data.end_date
    ]
    if outside:
        days = _("、").join(f"{local_day(s.starts_at):%m-%d}" for s in outside[:5])
        raise ProgramError(
            "unit_sessions_outside",
            _("本单元已有 %(n_outside)s 次课（%(days)s）不在新的日期范围内，请先调整这些课次。")
            % {"n_outside": len(outside), "days": days},
            field="start_date",
        )


@transaction.atomic
def unit_save(*, actor: User, program: Program, data: UnitData, unit: ProgramUnit | None = None):
    require_manager(actor, program)
    data = _validate_unit(actor, program, unit, data)
    before = full_snapshot(unit, UNIT_FIELDS, ("materials",)) if unit else {}
    unit = unit or ProgramUnit(program=program)
    for name in UNIT_FIELDS:
        setattr(unit, name, getattr(data, name))
    unit.save()
    set_links(unit, "materials", data.materials)
    after = full_snapshot(unit, UNIT_FIELDS, ("materials",))
    record(actor, "update" if before else "create", unit, before, after)
    return unit


@transaction.atomic
def unit_delete(*, actor: User, unit: ProgramUnit) -> None:
    require_manager(actor, unit.program)
    n = Session._base_manager.filter(unit=unit).count()
    if n:
        raise ProgramError(
            "unit_has_sessions",
            _("%(unit)s下还有 %(n)s 次课，请先删除或移走这些课次。") % {"unit": unit, "n": n},
        )
    record(actor, "delete", unit, full_snapshot(unit, UNIT_FIELDS), {})
    ProgramUnit._base_manager.filter(pk=unit.pk).delete()


# --- classrooms ------------------------------------------------------------------------------

VENUE_FIELDS = [
    "name",
    "kind",
    "address",
    "capacity",
    "serves",
    "stream_url",
    "is_active",
    "latitude",
    "longitude",
    "geofence_m",
]


@dataclass
class VenueData:
    name: str
    kind: str = Venue.Kind.MAIN
    address: str = ""
    capacity: int | None = None
    serves: Org | None = None
    stream_url: str = ""
    is_active: bool = True
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    geofence_m: int | None = None


def _check_geofence(data: VenueData) -> None:
    """A check-in range needs the venue's coordinates; coordinates must be on the globe."""
    if data.geofence_m and (data.latitude is None or data.longitude is None):
        raise ProgramError(
            "geofence_needs_location", _("设定签到范围须同时填写经纬度。"), field="latitude"
        )
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise ProgramError("invalid_latitude", _("纬度应在 -90 到 90 之间。"), field="latitude")
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise ProgramError("invalid_longitude", _("经度应在 -180 到 180 之间。"), field="longitude")


@transaction.atomic
def venue_save(*, actor: User, data: VenueData, venue: Venue | None = None) -> Venue:
    if venue is None and not policies.can_manage_programs(actor):
        raise PermissionDenied()
    if venue is not None and not policies.can_manage_venue(actor, venue):
        raise PermissionDenied()
    data.name = clean_text(data.name, field="name", label=_("名称"), max_length=100)
    if data.kind not in Venue.Kind.values:
        raise ProgramError("invalid_kind", _("请选择教室类型。"), field="kind")
    if data.kind == Venue.Kind.VIDEO and data.serves is None:
        raise ProgramError("serves_required", _("视频分课堂须填写服务区域。"), field="serves")
    if data.serves is not None:
        require_visible(actor, Org, [data.serves], field="serves", label=_("服务区域"))
    _check_geofence(data)
    before = full_snapshot(venue, VENUE_FIELDS) if venue else {}
    venue = venue or Venue(owner=actor.org)
    for name in VENUE_FIELDS:
        setattr(venue, name, getattr(data, name))
    venue.save()
    record(
        actor, "update" if before else "create", venue, before, full_snapshot(venue, VENUE_FIELDS)
    )
    return venue


# --- trainees --------------------------------------------------------------------------------

MAX_ADD = 20_000


MAX_GROUPS = 30  # units listed one by one in a preview; the rest are summed up


def _to_add(program: Program, cadres) -> tuple[list[tuple[int, str]], int]:
    """(cadre id, unit name) of the active cadres not in the program yet, and how many of the
    chosen are in already. One query for the chosen, one for those present."""
    rows = list(
        cadres.filter(status=Cadre.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "unit__name")[: MAX_ADD + 1]
    )
    if len(rows) > MAX_ADD:
        raise ProgramError(
            "too_many",
            _("一次最多添加 %(max_add)s 人，请缩小筛选范围。") % {"max_add": format(MAX_ADD, ",")},
        )
    present = set(
        ProgramTrainee._base_manager.filter(program=program).values_list("cadre_id", flat=True)
    )
    new = [(pk, unit) for pk, unit in rows if pk not in present]
    return new, len(rows) - len(new)


def trainees_add_preview(*, actor: User, program: Program, cadres) -> Preview:
    """Who "添加符合条件的在职干部" would add: the count, by unit, before anything is written."""
    require_manager(actor, program)
    new, already = _to_add(program, cadres)
    by_unit = Counter(unit for _pk, unit in new).most_common()
    groups = by_unit[:MAX_GROUPS]
    rest = by_unit[MAX_GROUPS:]
    if rest:
        groups.append(
            (_("其他 %(n_rest)s 个单位") % {"n_rest": len(rest)}, sum(n for _u, n in rest))
        )
    notes = (
        [_("已在项目中的 %(already)s 人不重复添加。") % {"already": format(already, ",")}]
        if already
        else []
    )
    return Preview(
        title=_("添加 %(n_new)s 名学员") % {"n_new": format(len(new), ",")},
        total=len(new),
        fingerprint=bulk_fingerprint(pk for pk, _unit in new),
        groups=groups,
        group_label=_("单位"),
        notes=notes,
    )


@transaction.atomic
def trainees_add(*, actor: User, program: Program, cadres, fingerprint: str | None = None) -> int:
    """Add the chosen roster cadres (a queryset the actor may see) who are not in yet. With
    ``fingerprint`` (from ``trainees_add_preview``), only if that is still who would be added."""
    require_manager(actor, program)
    new, _already = _to_add(program, cadres)
    require_unchanged(bulk_fingerprint(pk for pk, _u in new), fingerprint, ProgramError)
    rows = [ProgramTrainee(program=program, cadre_id=pk) for pk, _unit in new]
    ProgramTrainee._base_manager.bulk_create(rows, batch_size=900)
    if rows:
        audit_record(
            actor=actor,
            action="update",
            obj=program,
            changes={"trainees_added": [None, len(rows)]},
        )
    return len(rows)


@transaction.atomic
def trainee_remove(*, actor: User, trainee: ProgramTrainee) -> None:
    require_manager(actor, trainee.program)
    audit_record(
        actor=actor,
        action="update",
        obj=trainee.program,
        changes={"trainee_removed": [trainee.cadre.name, None]},
    )
    ProgramTrainee._base_manager.filter(pk=trainee.pk).delete()
