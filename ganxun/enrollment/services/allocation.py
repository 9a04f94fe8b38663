"""Quotas for many units at once (批量分配名额), and reminders to units that nominated nobody.

Two ways to allocate: the same number to each chosen unit (给所选单位每个 N 名), or a total shared
in proportion to each unit's active cadres (按在职干部人数比例分配共 M 名) with largest-remainder
rounding, so the quotas add up to exactly M. Either way the organizer first sees a preview (unit,
active cadres, exact share, rounded quota) and the write happens only on confirming that same
preview (core/bulk.py); a unit that already has a quota of that kind and batch gets the new
number (never below its live nominations).
"""

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.selectors import unit_contacts
from ganxun.core.bulk import Preview, fingerprint, require_unchanged
from ganxun.core.notices import remind_due
from ganxun.core.scoping import children_of, refetch
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import Nomination, Quota
from ganxun.enrollment.services.common import record, require_open_program
from ganxun.enrollment.services.quotas import (
    MAX_SEATS,
    _require_manager,
    check_kind_batch,
    check_quota_units,
    quota_notify,
)
from ganxun.messaging import outbox
from ganxun.messaging.outbox import Outgoing, To
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Program

if TYPE_CHECKING:
    from ganxun.accounts.models import User

EACH = "each"
PROPORTIONAL = "proportional"
MODES = (EACH, PROPORTIONAL)


def largest_remainder(total: int, weights: list[int]) -> list[tuple[Fraction, int]]:
    """Share ``total`` in proportion to ``weights``: each part's exact share and its whole
    number, rounded down and then one more to the largest remainders (ties: the larger weight,
    then the earlier part), so the whole numbers add up to exactly ``total``."""
    whole = sum(weights)
    if whole <= 0:
        return [(Fraction(0), 0) for _ in weights]
    exact = [Fraction(total * w, whole) for w in weights]
    rounded = [int(x) for x in exact]  # floor: shares are never negative
    left = total - sum(rounded)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - rounded[i]), -weights[i], i))
    for i in order[:left]:
        rounded[i] += 1
    return list(zip(exact, rounded, strict=True))


def active_cadre_counts(orgs: list[Org]) -> dict[int, int]:
    """Active cadres (在职) on each unit's roster, its sub-units included, in one query."""
    if not orgs:
        return {}
    # scope: head counts only, of the held units the organizer allocates seats to
    counts = Cadre._base_manager.filter(status=Cadre.Status.ACTIVE).aggregate(
        **{f"o{o.pk}": Count("pk", filter=Q(unit__path__startswith=o.path)) for o in orgs}
    )
    return {o.pk: counts[f"o{o.pk}"] for o in orgs}


@dataclass
class AllocationRow:
    org: Org
    cadres: int
    exact: Fraction  # the unrounded share (equals ``seats`` when each gets the same)
    seats: int
    current: int | None = None  # the unit's present quota of this kind and batch, if any
    used: int = 0

    @property
    def exact_display(self) -> str:
        return f"{float(self.exact):.2f}"

    @property
    def rounded_by(self) -> str:
        """How rounding moved the share, e.g. "+0.57" or "−0.29" ("" when exact)."""
        delta = self.seats - self.exact
        if delta == 0:
            return ""
        return f"{'+' if delta > 0 else '−'}{abs(float(delta)):.2f}"


@dataclass
class Allocation:
    rows: list[AllocationRow]
    preview: Preview
    mode: str
    total: int
    notes: list[str] = field(default_factory=list)


def _plan(*, actor: "User", program, orgs, mode, number, kind, batch) -> Allocation:
    _require_manager(actor, program)
    require_open_program(program)
    if not orgs:
        raise EnrollmentError("no_units", _("请至少选择一个单位。"), field="orgs")
    orgs = sorted({o.pk: o for o in orgs}.values(), key=lambda o: o.path)
    check_quota_units(actor, program, orgs, field="orgs")
    check_kind_batch(program, kind, batch)
    if mode not in MODES:
        raise EnrollmentError("invalid_mode", _("请选择分配方式。"), field="mode")
    if number is None or number <= 0:
        raise EnrollmentError("invalid_number", _("名额数须为大于 0 的整数。"), field="number")
    total = number * len(orgs) if mode == EACH else number
    if total > MAX_SEATS:
        raise EnrollmentError(
            "over_limit",
            _("合计 %(total)s 个名额，超过一次分配 %(max_seats)s 个的上限，请减少。")
            % {"total": total, "max_seats": MAX_SEATS},
            field="number",
        )
    counts = active_cadre_counts(orgs)
    if mode == EACH:
        shares = [(Fraction(number), number) for _ in orgs]
    else:
        if sum(counts.values()) == 0:
            raise EnrollmentError(
                "no_cadres", _("所选单位名册中没有在职干部，无法按比例分配。"), field="orgs"
            )
        shares = largest_remainder(number, [counts[o.pk] for o in orgs])
    current = {
        q.org_id: q
        for q in children_of(program, Quota, "program")
        .filter(org__in=[o.pk for o in orgs], kind=kind, batch=batch)
        .annotate(n_live=Count("nominations", filter=Q(nominations__status__in=Nomination.LIVE)))
    }
    rows = []
    for org, (exact, seats) in zip(orgs, shares, strict=True):
        q = current.get(org.pk)
        rows.append(
            AllocationRow(
                org,
                counts[org.pk],
                exact,
                seats,
                current=q.seats if q else None,
                used=q.n_live if q else 0,
            )
        )
    below = [r for r in rows if r.used > r.seats]
    if below:
        raise EnrollmentError(
            "seats_below_nominations",
            _("%(units)s，分得的名额不能少于已报名人数。")
            % {
                "units": "、".join(
                    _("%(unit)s已报名 %(n)s 人") % {"unit": r.org.name, "n": r.used} for r in below
                )
            },
            field="number",
        )
    return _preview(rows, mode, total)


def _preview(rows: list[AllocationRow], mode: str, total: int) -> Allocation:
    written = [r for r in rows if r.seats != (r.current if r.current is not None else 0)]
    notes = []
    if mode == PROPORTIONAL:
        notes.append(
            f"按在职干部人数比例分配共 {total} 个名额：先取各单位精确份额的整数部分，"
            "余下名额依次给小数部分最大的单位（最大余数法），合计恰为总数。"
        )
    changed = [r for r in rows if r.current is not None and r.current != r.seats]
    if changed:
        notes.append(
            "已有名额将改为新数："
            + "、".join(f"{r.org.name} {r.current}→{r.seats}" for r in changed)
            + "。"
        )
    zero = [r.org.name for r in rows if r.seats == 0 and r.current is None]
    if zero:
        notes.append(f"{'、'.join(zero)}分得 0 个，不建立名额。")
    keys = [f"{r.org.pk}:{r.seats}:{r.current}:{r.used}" for r in rows] + [mode]
    preview = Preview(
        title=f"为 {len(written)} 个单位分配名额共 {sum(r.seats for r in written)} 个",
        total=len(written),
        fingerprint=fingerprint(keys),
        groups=[(r.org.name, r.seats) for r in rows],
        group_label="单位",
        notes=notes,
    )
    return Allocation(rows=rows, preview=preview, mode=mode, total=total, notes=notes)


def quotas_allocate_preview(
    *,
    actor: "User",
    program: Program,
    orgs: list[Org],
    mode: str,
    number,
    kind=Quota.Kind.QUOTA,
    batch=None,
) -> Allocation:
    """What a bulk allocation would write (a read): the table to confirm."""
    return _plan(
        actor=actor, program=program, orgs=orgs, mode=mode, number=number, kind=kind, batch=batch
    )


@transaction.atomic
def quotas_allocate(
    *,
    actor: "User",
    program: Program,
    orgs: list[Org],
    mode: str,
    number,
    kind=Quota.Kind.QUOTA,
    batch=None,
    fingerprint: str | None = None,
) -> Allocation:
    """Write the confirmed allocation: create or change each unit's quota, tell the contacts
    of every unit whose seats were given or changed, and audit each quota."""
    refetch(program, lock=True)  # serialises allocations and reminders on the program
    plan = _plan(
        actor=actor, program=program, orgs=orgs, mode=mode, number=number, kind=kind, batch=batch
    )
    require_unchanged(plan.preview.fingerprint, fingerprint, EnrollmentError)
    existing = {
        q.org_id: q
        for q in children_of(program, Quota, "program")
        .select_for_update()
        .filter(org__in=[r.org.pk for r in plan.rows], kind=kind, batch=batch)
    }
    touched = []
    for row in plan.rows:
        quota = existing.get(row.org.pk)
        if quota is None and row.seats == 0:
            continue
        if quota is not None and quota.seats == row.seats:
            continue
        before = {"seats": quota.seats} if quota else {}
        if quota is None:
            quota = Quota(program=program, org=row.org, kind=kind, batch=batch, created_by=actor)
        quota.seats = row.seats
        quota.save()
        after = {"org": row.org.name, "kind": kind, "batch": batch, "seats": row.seats}
        if mode == PROPORTIONAL:
            after["share"] = f"{row.exact_display}（在职 {row.cadres} 人）"
        record(actor, "update" if before else "create", quota, before, after)
        touched.append(quota)
    quota_notify(program, touched)
    return plan


# --- reminders -------------------------------------------------------------------------------


@dataclass
class QuotaUnit:
    """A unit given seats on a program, for the organizer: how many, used, contacts."""

    org: Org
    seats: int
    used: int
    reminded_at: datetime | None
    contacts: list
    remind_due: bool


def quota_units(program: Program) -> list[QuotaUnit]:
    """Each unit with quotas on the program (all kinds and batches together), those that have
    nominated nobody yet first."""
    rows = (
        children_of(program, Quota, "program")
        .values("org_id")
        .annotate(used=Count("nominations", filter=Q(nominations__status__in=Nomination.LIVE)))
    )
    used = {r["org_id"]: r["used"] for r in rows}
    quotas = list(children_of(program, Quota, "program").select_related("org"))
    units: dict[int, QuotaUnit] = {}
    contacts = unit_contacts(used)
    now = timezone.now()
    for q in quotas:
        unit = units.get(q.org_id)
        if unit is None:
            unit = units[q.org_id] = QuotaUnit(
                q.org, 0, used.get(q.org_id, 0), None, contacts.get(q.org_id, []), True
            )
        unit.seats += q.seats
        if q.reminded_at and (unit.reminded_at is None or q.reminded_at > unit.reminded_at):
            unit.reminded_at = q.reminded_at
    for unit in units.values():
        unit.remind_due = remind_due(unit.reminded_at, now)
    return sorted(units.values(), key=lambda u: (u.used > 0, u.org.path))


@transaction.atomic
def quotas_remind(*, actor: "User", program: Program, orgs: list[Org] | None = None) -> dict:
    """Remind the units that have seats but nominated nobody (all, or those given): one notice
    per contact, at most once a day per unit, audited."""
    _require_manager(actor, program)
    require_open_program(program)
    refetch(program, lock=True)  # serialises allocations and reminders on the program
    units = quota_units(program)
    if orgs is not None:
        wanted = {o.pk for o in orgs}
        units = [u for u in units if u.org.pk in wanted]
    pending = [u for u in units if u.used == 0 and u.seats > 0]
    if not pending:
        raise EnrollmentError("nothing_to_remind", _("所选单位都已报名，无需提醒。"))
    due = [u for u in pending if u.remind_due]
    if not due:
        raise EnrollmentError(
            "reminded_today", _("这些单位今天已提醒过，每个单位每天最多提醒一次。")
        )
    url = reverse("enrollment:my_quotas")
    sent = outbox.send_each(
        kind="quota_reminder",
        items=[
            Outgoing(
                to=To.user(user),
                context={
                    "program": program.full_name,
                    "organizer_org": program.org.name,
                    "unit": u.org.name,
                    "seats": u.seats,
                },
                url=url,
            )
            for u in due
            for user in u.contacts
        ],
        program_id=program.pk,
        org_id=program.org_id,
        sender=actor,
    )
    now = timezone.now()
    due_quotas = children_of(program, Quota, "program").filter(org__in=[u.org.pk for u in due])
    due_quotas.update(reminded_at=now)
    record(
        actor, "update", program, {}, {"reminded_units": [u.org.name for u in due], "notices": sent}
    )
    return {"units": len(due), "notices": sent, "skipped": len(pending) - len(due)}
