"""调训 quotas and nominations.

Every nomination locks its quota row (``SELECT … FOR UPDATE``) before counting the live
nominations, so two contacts submitting at the same moment are served one after the other and
the second sees the first's nominee: a quota is never exceeded. A unique index on the live
nomination of a cadre in a program catches the same cadre put forward twice.
"""

from collections import Counter
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.selectors import unit_contacts
from ganxun.core.bulk import Preview, require_unchanged
from ganxun.core.bulk import fingerprint as bulk_fingerprint
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, refetch
from ganxun.enrollment import policies, schedule
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import Nomination, Quota
from ganxun.enrollment.services.common import (
    clean_text,
    full_snapshot,
    notify,
    record,
    require_open_program,
)
from ganxun.messaging import outbox
from ganxun.messaging.outbox import Outgoing, To
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Program, ProgramTrainee

if TYPE_CHECKING:
    from ganxun.accounts.models import User

QUOTA_FIELDS = ["org", "batch", "kind", "seats", "note"]


MAX_SEATS = 10000


def check_quota_units(actor: "User", program: Program, orgs: list[Org], *, field: str) -> None:
    """Quotas go to units the actor manages, at or below the program's org."""
    ids = {o.pk for o in orgs}
    if Org.objects.visible_to(actor).filter(pk__in=ids).count() != len(ids):
        raise EnrollmentError("not_visible", _("所选单位不在您可管理的范围内。"), field=field)
    outside = [o.name for o in orgs if not o.path.startswith(program.org.path)]
    if outside:
        raise EnrollmentError(
            "org_outside_program",
            _("名额只能分给“%(name)s”及其下属单位（%(outside)s不是）。")
            % {"name": program.org.name, "outside": "、".join(outside)},
            field=field,
        )


def check_kind_batch(program: Program, kind: str, batch: int | None) -> None:
    if kind not in Quota.Kind.values:
        raise EnrollmentError("invalid_kind", _("请选择名额类型。"), field="kind")
    if batch is not None and not 1 <= batch <= program.batch_count:
        raise EnrollmentError(
            "invalid_batch",
            _("本项目分 %(batch_count)s 批，批次应在 1 到 %(batch_count)s 之间。")
            % {"batch_count": program.batch_count},
            field="batch",
        )


def quota_notify(program: Program, quotas: list[Quota]) -> int:
    """Tell each unit's contacts the seats they were given (调训名额分配通知), one notice each."""
    contacts = unit_contacts(q.org_id for q in quotas)
    url = reverse("enrollment:my_quotas")
    items = [
        Outgoing(
            to=To.user(user),
            context={
                "program": program.full_name,
                "organizer_org": program.org.name,
                "unit": q.org.name,
                "quota_kind": q.get_kind_display(),
                "seats": q.seats,
                "batch_note": f"（第{q.batch}批）" if q.batch else "",
            },
            url=url,
        )
        for q in quotas
        for user in contacts.get(q.org_id, [])
    ]
    return outbox.send_each(
        kind="quota_allocated", items=items, program_id=program.pk, org_id=program.org_id
    )


def _require_manager(actor: "User", program: Program) -> None:
    if not policies.can_manage_quotas(actor, program):
        raise PermissionDenied()


def live_count(quota: Quota, *, excluding: Nomination | None = None) -> int:
    qs = children_of(quota, Nomination, "quota").filter(status__in=Nomination.LIVE)
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.count()


def _lock(quota: Quota) -> Quota:
    """The quota row, locked until the transaction ends (serialises nominations on it)."""
    return refetch(quota, lock=True, related=("org",))


@transaction.atomic
def quota_save(
    *,
    actor: "User",
    program: Program,
    org: Org,
    seats: int,
    kind: str = Quota.Kind.QUOTA,
    batch: int | None = None,
    note: str = "",
    quota: Quota | None = None,
) -> Quota:
    """Give a unit seats on a program (or change them). Never below the live nominations."""
    _require_manager(actor, program)
    require_open_program(program)
    check_quota_units(actor, program, [org], field="org")
    check_kind_batch(program, kind, batch)
    if seats is None or seats < 0 or seats > MAX_SEATS:
        raise EnrollmentError(
            "invalid_seats",
            _("名额应在 0 到 %(max_seats)s 之间。") % {"max_seats": MAX_SEATS},
            field="seats",
        )
    before = {}
    if quota is not None:
        if quota.program_id != program.pk:
            raise EnrollmentError("invalid_quota", _("该名额不属于本项目。"))
        quota = _lock(quota)
        used = live_count(quota)
        if seats < used:
            raise EnrollmentError(
                "seats_below_nominations",
                _("该单位已报名 %(used)s 人，名额不能少于 %(used)s；请先由联络员撤回或替换。")
                % {"used": used},
                field="seats",
            )
        before = full_snapshot(quota, QUOTA_FIELDS)
    else:
        quota = Quota(program=program, created_by=actor)
    quota.org, quota.batch, quota.kind, quota.seats = org, batch, kind, seats
    quota.note = clean_text(note, field="note", label=_("说明"), required=False, max_length=200)
    try:
        with transaction.atomic():
            quota.save()
    except IntegrityError:
        raise EnrollmentError(
            "quota_exists", _("该单位在此批次已有同类名额，请直接修改原名额。"), field="org"
        ) from None
    record(
        actor, "update" if before else "create", quota, before, full_snapshot(quota, QUOTA_FIELDS)
    )
    if not before and quota.seats:
        quota_notify(program, [quota])
    return quota


@transaction.atomic
def quota_delete(*, actor: "User", quota: Quota) -> None:
    _require_manager(actor, quota.program)
    quota = _lock(quota)
    if children_of(quota, Nomination, "quota").exists():
        raise EnrollmentError(
            "quota_has_nominations", _("该名额下已有报名记录，不能删除；可把名额改为 0。")
        )
    record(actor, "delete", quota, full_snapshot(quota, QUOTA_FIELDS), {})
    quota.delete()  # the locked row, with no nominations (checked above)


# --- nominations -----------------------------------------------------------------------------


def _check_cadre(actor: "User", quota: Quota, cadre: Cadre, program: Program) -> None:
    """The nominee comes from the contact's roster, inside the quota's unit, and is free."""
    seen = Cadre.objects.visible_to(actor).filter(pk=cadre.pk).exists()
    if not seen or not cadre.unit.path.startswith(quota.org.path):
        raise EnrollmentError(
            "cadre_outside_unit",
            _(
                "不能报名：所选干部不在“%(name)s”的名册中（规则"
                "：单位的名额只能由本单位及下属单位的干部占用）。"
            )
            % {"name": quota.org.name},
            field="cadre",
        )
    if cadre.status != Cadre.Status.ACTIVE:
        raise EnrollmentError(
            "cadre_inactive",
            _("不能报名：%(name)s已不在职（规则：只有在职干部可以报名）。") % {"name": cadre.name},
            field="cadre",
        )
    # The whole program's rows, whichever unit's quota: one live nomination per cadre.
    taken = children_of(program, Nomination, "program")
    taken = taken.filter(cadre=cadre, status__in=Nomination.LIVE)
    if taken.exists():
        raise EnrollmentError(
            "already_nominated",
            _("不能报名：%(name)s已报名本项目（规则：同一干部在一个项目中只报名一次）。")
            % {"name": cadre.name},
            field="cadre",
        )
    if (
        children_of(program, ProgramTrainee, "program")
        .filter(cadre=cadre)
        .exclude(source=ProgramTrainee.Source.SELF_SELECTED)
        .exists()
    ):
        raise EnrollmentError(
            "already_enrolled",
            _("不能报名：%(name)s已在本项目学员名单中（规则：已是学员的不再占用名额）。")
            % {"name": cadre.name},
            field="cadre",
        )


def _require_room(quota: Quota, *, excluding: Nomination | None = None) -> None:
    used = live_count(quota, excluding=excluding)
    if used >= quota.seats:
        raise EnrollmentError(
            "quota_full",
            _(
                "名额已满：%(name)s共 %(seats)s 个名额"
                "，已报 %(used)s 人（规则：报名人数不能超过分给"
                "本单位的名额；可先撤回或替换已报的人）。"
            )
            % {"name": quota.org.name, "seats": quota.seats, "used": used},
            field="cadre",
            seats=quota.seats,
            used=used,
        )


def _insert(nomination: Nomination) -> Nomination:
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        # Another contact put the same cadre forward a moment ago.
        raise EnrollmentError(
            "already_nominated",
            _("不能报名：%(name)s已报名本项目（规则：同一干部在一个项目中只报名一次）。")
            % {"name": nomination.cadre.name},
            field="cadre",
        ) from None
    return nomination


@transaction.atomic
def nomination_create(*, actor: "User", quota: Quota, cadre: Cadre, note: str = "") -> Nomination:
    """A unit contact puts a cadre forward within the unit's quota."""
    quota = _lock(quota)
    if not policies.can_nominate_for(actor, quota):
        raise PermissionDenied()
    # A unit contact need not see a program organized above their unit.
    # scope: the program of the locked quota the actor may nominate for (checked above)
    program = Program._base_manager.select_related("org").get(pk=quota.program_id)
    require_open_program(program)
    _check_cadre(actor, quota, cadre, program)
    _require_room(quota)
    nomination = _insert(
        Nomination(
            quota=quota,
            program=program,
            cadre=cadre,
            nominated_by=actor,
            note=clean_text(
                note, field="note", label=_("推荐说明"), required=False, max_length=200
            ),
        )
    )
    record(actor, "create", nomination, {}, {"cadre": cadre.name, "quota": str(quota)})
    return nomination


def _lock_nomination(nomination: Nomination) -> Nomination:
    return refetch(nomination, lock=True)


def _drop_trainee(nomination: Nomination) -> None:
    """A confirmed nominee who is replaced leaves the trainee list (if they came by 调训)."""
    # scope: the trainee row of a held nomination's own cadre (the caller locked and checked it)
    ProgramTrainee._base_manager.filter(
        program_id=nomination.program_id,
        cadre_id=nomination.cadre_id,
        source__in=[ProgramTrainee.Source.ASSIGNED, ProgramTrainee.Source.RIDE_ALONG],
    ).delete()


@transaction.atomic
def nomination_replace(
    *, actor: "User", nomination: Nomination, cadre: Cadre, note: str = ""
) -> Nomination:
    """Put another cadre in a nominee's place. The old row stays (REPLACED); the new one is
    pending again and points back to it."""
    quota = _lock(nomination.quota)
    if not policies.can_nominate_for(actor, quota):
        raise PermissionDenied()
    old = _lock_nomination(nomination)
    if not old.is_live:
        raise EnrollmentError("not_live", _("只能替换待确认或已确认的报名。"))
    # A unit contact need not see a program organized above their unit.
    # scope: the program of the locked quota the actor may nominate for (checked above)
    program = Program._base_manager.select_related("org").get(pk=quota.program_id)
    require_open_program(program)
    _check_cadre(actor, quota, cadre, program)
    _require_room(quota, excluding=old)
    was_confirmed = old.status == Nomination.Status.CONFIRMED
    old.status = Nomination.Status.REPLACED
    old.save(update_fields=["status"])
    if was_confirmed:
        _drop_trainee(old)
    new = _insert(
        Nomination(
            quota=quota,
            program=program,
            cadre=cadre,
            replaces=old,
            nominated_by=actor,
            note=clean_text(
                note, field="note", label=_("替换说明"), required=False, max_length=200
            ),
        )
    )
    record(actor, "update", old, {"cadre": old.cadre.name}, {"cadre": cadre.name})
    return new


@transaction.atomic
def nomination_withdraw(*, actor: "User", nomination: Nomination) -> Nomination:
    """The contact takes back a nominee the organizer has not confirmed yet."""
    if not policies.can_nominate_for(actor, nomination.quota):
        raise PermissionDenied()
    nomination = _lock_nomination(nomination)
    if nomination.status != Nomination.Status.PENDING:
        raise EnrollmentError("not_pending", _("只能撤回待确认的报名；已确认的请用“替换”。"))
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.save(update_fields=["status"])
    record(actor, "update", nomination, {"status": "pending"}, {"status": "withdrawn"})
    return nomination


def send_confirmation_notices(program: Program, cadre_ids) -> int:
    """The 调训通知 for each newly confirmed trainee: their batch, classroom and sessions as
    they stand now (``enrollment.schedule``; "待定" until batching and classroom assignment,
    which send an update through ``services.changes``). Addressed to the cadre, so an account
    created later still receives it."""
    trainees = schedule.trainees_of(program, cadre_ids)
    sessions = schedule.program_sessions(program)
    seats = schedule.seats_of(program, [t.cadre_id for t in trainees])
    has_subs = schedule.has_sub_venues(program)
    url = reverse("programs:my_progress", args=[program.pk])
    items = [
        Outgoing(
            to=To.cadre(t.cadre_id),
            context={
                "program": program.full_name,
                "schedule": schedule.trainee_schedule(
                    program, t, sessions, has_subs=has_subs, seats=seats.get(t.cadre_id, ())
                ),
            },
            url=url,
        )
        for t in trainees
    ]
    return outbox.send_each(
        kind="enrollment_confirmed", items=items, program_id=program.pk, org_id=program.org_id
    )


def send_confirmation_notice(cadre_id: int, program: Program, batch: int | None = None) -> None:
    """One trainee's 调训通知 (the batch is read from the trainee row)."""
    send_confirmation_notices(program, [cadre_id])


def _confirm_one(actor: "User", nomination: Nomination, program: Program) -> None:
    nomination.status = Nomination.Status.CONFIRMED
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    source = nomination.quota.trainee_source
    # scope: the trainee row of a nomination of a held program the organizer confirms
    trainee, created = ProgramTrainee._base_manager.get_or_create(
        program=program,
        cadre_id=nomination.cadre_id,
        defaults={"batch": nomination.quota.batch, "source": source},
    )
    if not created and trainee.source in (
        ProgramTrainee.Source.SELF_SELECTED,
        ProgramTrainee.Source.WALK_IN,
    ):
        # Picked one elective earlier; now a full participant.
        trainee.source, trainee.batch = source, nomination.quota.batch
        trainee.save(update_fields=["source", "batch"])
    record(actor, "update", nomination, {"status": "pending"}, {"status": "confirmed"})


MAX_GROUPS = 30  # units listed one by one in a preview; the rest are summed up


def nominations_confirm_preview(*, actor: "User", program: Program, nominations: list[Nomination]):
    """What confirming the chosen nominees would do, before anything is written: how many, by
    unit, and the warnings an organizer should see first (nominees who fit none of the invited
    groups, nominees already processed by someone else). ``nominations`` come from
    ``selectors.program_nominations`` (eligibility annotated)."""
    _require_manager(actor, program)
    pending = [n for n in nominations if n.status == Nomination.Status.PENDING]
    by_unit = Counter(n.cadre.unit.name for n in pending).most_common()
    groups = by_unit[:MAX_GROUPS]
    if rest := by_unit[MAX_GROUPS:]:
        groups.append((_("其他 %(n)s 个单位") % {"n": len(rest)}, sum(n for _u, n in rest)))
    notes = []
    unfit = [n.cadre.name for n in pending if getattr(n.cadre, "fit_warnings", None)]
    if unfit:
        notes.append(
            _("其中 %(n)s 人不符合调训对象条件（%(names)s），请核对后再确认。")
            % {"n": len(unfit), "names": "、".join(unfit[:10])}
        )
    notes.append(_("确认后学员进入项目学员名单，并收到调训通知。"))
    return Preview(
        title=_("录取 %(n)s 人") % {"n": f"{len(pending):,}"},
        total=len(pending),
        fingerprint=_confirm_fingerprint(pending),
        groups=groups,
        group_label=_("单位"),
        notes=notes,
    )


def _confirm_fingerprint(nominations) -> str:
    return bulk_fingerprint(f"{n.pk}:{n.cadre_id}:{n.status}" for n in nominations)


@transaction.atomic
def nominations_confirm(
    *,
    actor: "User",
    program: Program,
    nominations: list[Nomination],
    fingerprint: str | None = None,
) -> int:
    """The organizer confirms pending nominees: each becomes a trainee and gets the notice.
    With ``fingerprint`` (from ``nominations_confirm_preview``), only if the chosen nominees
    are still exactly those the organizer saw (none withdrawn, replaced or confirmed since)."""
    _require_manager(actor, program)
    require_open_program(program)
    ids = [n.pk for n in nominations]
    rows = list(
        children_of(program, Nomination, "program")
        .select_for_update(of=("self",))
        .filter(pk__in=ids, status=Nomination.Status.PENDING)
        .select_related("quota", "cadre")
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise EnrollmentError(
            "not_pending", _("所选报名中有已处理或不属于本项目的，请刷新后再试。")
        )
    require_unchanged(_confirm_fingerprint(rows), fingerprint, EnrollmentError)
    for nomination in rows:
        _confirm_one(actor, nomination, program)
    send_confirmation_notices(program, [n.cadre_id for n in rows])
    return len(rows)


@transaction.atomic
def nomination_return(*, actor: "User", nomination: Nomination, note: str) -> Nomination:
    """The organizer sends a nominee back to the unit with a reason; the seat is free again."""
    program = nomination.program
    _require_manager(actor, program)
    note = clean_text(note, field="note", label=_("退回理由"), max_length=300)
    nomination = _lock_nomination(nomination)
    if nomination.status != Nomination.Status.PENDING:
        raise EnrollmentError("not_pending", _("该报名已处理过。"))
    nomination.status = Nomination.Status.RETURNED
    nomination.decision_note = note
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    nomination.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    record(actor, "update", nomination, {"status": "pending"}, {"status": "returned", "note": note})
    notify(
        [nomination.nominated_by],
        kind="nomination_returned",
        context={"cadre": nomination.cadre.name, "program": program.full_name, "note": note},
        program=program,
        url=reverse("enrollment:quota", args=[nomination.quota_id]),
        sender=actor,
    )
    return nomination
