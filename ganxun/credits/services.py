"""Writes to the ledger and its rules. One transaction each, audited.

The ledger is never edited: a manual entry is a new row, a correction is a reversing row with a
reason. Automatic credits (attendance, teaching, graduation bonus) go through ``ledger`` so that
each source is credited once whatever is retried.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core import services as core_services
from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.credits import ledger, policies
from ganxun.credits.defaults import DEFAULT_REQUIREMENTS
from ganxun.credits.errors import CreditError
from ganxun.credits.models import (
    Channel,
    CreditEntry,
    CreditSettings,
    ProgramCreditRule,
    Requirement,
)
from ganxun.orgs.models import Cadre

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MAX_HOURS_A_DAY = Decimal("24")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _require_cadre(actor: "User", cadre: Cadre) -> None:
    if not Cadre.objects.visible_to(actor).filter(pk=cadre.pk).exists():
        raise PermissionDenied(_("该干部不在您的管理范围内。"))


def clean_hours(value, *, field: str = "hours", allow_zero: bool = False) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CreditError("bad_hours", _("学时须为数字，如 2 或 1.5。"), field=field) from None
    if not hours.is_finite():
        raise CreditError("bad_hours", _("学时须为数字，如 2 或 1.5。"), field=field)
    if hours < 0 or (hours == 0 and not allow_zero):
        raise CreditError("negative_hours", _("学时须大于 0。"), field=field)
    if hours > MAX_HOURS_A_DAY:
        raise CreditError("absurd_hours", _("一天的学时不能超过 24。"), field=field)
    if hours != hours.quantize(Decimal("0.1")):
        raise CreditError("bad_hours", _("学时最多保留一位小数。"), field=field)
    return hours


@dataclass
class EntryData:
    cadre: Cadre
    day: date
    hours: Decimal
    channel: int
    title: str
    reason: str


def entry_record(*, actor: "User", data: EntryData) -> CreditEntry:
    """A manual entry (读书研讨, 实践锻炼, a class the system did not run …), with why."""
    _require(policies.can_record_credits(actor))
    _require_cadre(actor, data.cadre)
    title = core_services.clean_text(
        data.title, error=CreditError, field="title", label=_("内容"), max_length=200
    )
    reason = core_services.clean_text(
        data.reason, error=CreditError, field="reason", label=_("登记依据"), max_length=300
    )
    hours = clean_hours(data.hours)
    if data.day > timezone.localdate():
        raise CreditError("future_day", _("日期不能晚于今天。"), field="day")
    if data.channel not in Channel.values:
        raise CreditError("bad_channel", _("请选择培训渠道。"), field="channel")
    source = f"manual:{uuid.uuid4().hex[:16]}"
    with transaction.atomic():
        entry = CreditEntry.objects.create(
            cadre=data.cadre,
            day=data.day,
            hours=hours,
            channel=data.channel,
            title=title,
            source=source,
            ref_key=f"{source}/1",
            reason=reason,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=entry,
            changes={"hours": [None, str(hours)], "cadre": [None, data.cadre.name]},
        )
    return entry


def entry_reverse(*, actor: "User", entry: CreditEntry, reason: str) -> CreditEntry:
    """Correct an entry by a reversing one (negative hours, same channel and day), with why."""
    _require(policies.can_record_credits(actor))
    _require_cadre(actor, entry.cadre)
    reason = core_services.clean_text(
        reason, error=CreditError, field="reason", label=_("冲销原因"), max_length=300
    )
    if entry.reverses_id:
        raise CreditError("is_reversal", _("这是一条冲销记录，不能再冲销。"))
    with transaction.atomic():
        if _reversed(entry):
            raise CreditError("already_reversed", _("该记录已被冲销。"))
        reversal = CreditEntry(
            cadre_id=entry.cadre_id,
            day=entry.day,
            hours=-entry.hours,
            channel=entry.channel,
            title=entry.title,
            source=entry.source,
            ref_key=f"{entry.ref_key}/r",
            session_id=entry.session_id,
            program_id=entry.program_id,
            reverses=entry,
            reason=reason,
            recorded_by=actor,
        )
        try:
            with transaction.atomic():
                reversal.save()
        except IntegrityError:
            raise CreditError("already_reversed", _("该记录已被冲销。")) from None
        audit_record(
            actor=actor,
            action="create",
            obj=reversal,
            changes={"reverses": [None, entry.pk], "reason": [None, reason]},
        )
    return reversal


def _reversed(entry: CreditEntry) -> bool:
    return children_of(entry, CreditEntry, "reverses").exists()


def credit_program_bonus(*, actor: "User", program, cadre) -> CreditEntry | None:
    """Credit the program's graduation bonus to ``cadre`` once (called when they graduate).
    A no-op when the program has no bonus configured; calling it again writes nothing."""
    rule = children_of(program, ProgramCreditRule, "program").first()
    if rule is None or rule.bonus_hours <= 0:
        return None
    want = ledger.Desired(
        cadre_id=cadre.pk,
        source=f"program:{program.pk}",
        hours=rule.bonus_hours,
        day=min(program.end_date, timezone.localdate()),
        channel=ledger.program_channel(program.channel),
        title=f"{program.name}（结业奖励学时）"[:200],
        program_id=program.pk,
        recorded_by_id=getattr(actor, "pk", None),
    )
    with transaction.atomic():
        entry = ledger.first_version(want)
        ledger.write([entry])
        written = children_of(cadre, CreditEntry, "cadre").filter(ref_key=entry.ref_key).first()
    return written


def program_rule_save(*, actor: "User", program, bonus_hours, note: str = "") -> ProgramCreditRule:
    _require(policies.can_set_program_bonus(actor, program))
    hours = (
        clean_hours(bonus_hours, field="bonus_hours", allow_zero=True)
        if bonus_hours
        else Decimal(0)
    )
    note = core_services.clean_text(
        note, error=CreditError, field="note", label=_("说明"), required=False, max_length=200
    )
    with transaction.atomic():
        rule, created = children_of(program, ProgramCreditRule, "program").get_or_create(
            program=program
        )
        before = snapshot(rule, ["bonus_hours", "note"]) if not created else {}
        rule.bonus_hours, rule.note = hours, note
        rule.save()
        audit_record(
            actor=actor,
            action="create" if created else "update",
            obj=rule,
            changes=diff(before, snapshot(rule, ["bonus_hours", "note"])),
        )
    return rule


REQUIREMENT_FIELDS = [
    "name", "ranks", "period", "amount", "unit", "channels", "caps", "source", "source_url",
    "is_active", "sort",
]  # fmt: skip


def requirement_save(*, actor: "User", requirement: Requirement | None, data: dict) -> Requirement:
    _require(policies.can_manage_rules(actor))
    if requirement is not None:
        _require(policies.can_edit_requirement(actor, requirement))
    _validate_requirement(data)
    with transaction.atomic():
        # a new rule belongs to the actor's org (none = the city's, for the root's administrators)
        owner = None if policies.owns_city_rules(actor) else actor.org
        obj = requirement or Requirement(org=owner)
        before = snapshot(obj, REQUIREMENT_FIELDS) if requirement else {}
        for name in REQUIREMENT_FIELDS:
            if name in data:
                setattr(obj, name, data[name])
        obj.save()
        audit_record(
            actor=actor,
            action="update" if requirement else "create",
            obj=obj,
            changes=diff(before, snapshot(obj, REQUIREMENT_FIELDS)),
        )
    return obj


def _validate_requirement(data: dict) -> None:
    valid_ranks = set(Cadre.Rank.values)
    if not data.get("ranks") or not set(data["ranks"]) <= valid_ranks:
        raise CreditError("no_ranks", _("请至少选择一个适用职级。"), field="ranks")
    if not set(data.get("channels") or ()) <= set(Channel.values):
        raise CreditError("bad_channel", _("计入的渠道不正确。"), field="channels")
    for channel, share in (data.get("caps") or {}).items():
        if int(channel) not in Channel.values or not 0 <= float(share) <= 1:
            raise CreditError("bad_cap", _("渠道上限须为 0 到 100% 之间的比例。"), field="caps")
    if not str(data.get("source") or "").strip():
        raise CreditError("no_source", _("请写明该要求的依据（文件名称和条款）。"), field="source")


def requirements_restore_defaults(*, actor: "User") -> int:
    """Add back the national defaults that are missing (by name); existing rules stay."""
    _require(policies.owns_city_rules(actor))
    added = 0
    with transaction.atomic():
        names = set(Requirement.objects.filter(org=None).values_list("name", flat=True))
        for row in DEFAULT_REQUIREMENTS:
            if row["name"] not in names:
                obj = Requirement.objects.create(**row)
                audit_record(actor=actor, action="create", obj=obj)
                added += 1
    return added


SETTINGS_FIELDS = [
    "minutes_per_hour", "hours_per_day", "late_rule", "forfeit_after_minutes", "teaching_factor",
]  # fmt: skip


def settings_save(*, actor: "User", data: dict) -> CreditSettings:
    _require(policies.owns_city_rules(actor))
    with transaction.atomic():
        row, _created = CreditSettings.objects.get_or_create(pk=1)
        before = snapshot(row, SETTINGS_FIELDS)
        for name in SETTINGS_FIELDS:
            if name in data:
                setattr(row, name, data[name])
        row.save()
        audit_record(
            actor=actor,
            action="update",
            obj=row,
            changes=diff(before, snapshot(row, SETTINGS_FIELDS)),
        )
    ledger.forget_settings()
    return row
