"""Every write of the reminders app: switches (audited); the 催办 services are in chase.py."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.reminders import policies
from ganxun.reminders.errors import ReminderError
from ganxun.reminders.models import ReminderSetting
from ganxun.reminders.switches import HOURS_SHORT, KINDS, format_dates, parse_dates

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.orgs.models import Org
    from ganxun.programs.models import Program

FIELDS = ["enabled", "value", "dates"]


def _check_place(actor: "User", org, program, kind: str) -> None:
    if (org is None) == (program is None):
        raise ReminderError("invalid_place", _("请选择组织或培训项目之一。"))
    if kind not in KINDS or (program is not None and not KINDS[kind].program_level):
        raise ReminderError("invalid_kind", _("没有这种提醒。"), field="kind")
    allowed = (
        policies.can_configure_org(actor, org)
        if org is not None
        else policies.can_configure_program(actor, program)
    )
    if not allowed:
        raise PermissionDenied()


def _rows(org, program, kind: str):
    # scope: the one row of a place the caller authorised (_check_place), read to change it
    base = ReminderSetting._base_manager
    if org is not None:
        return base.filter(org=org, program__isnull=True, kind=kind)
    return base.filter(program=program, org__isnull=True, kind=kind)


@transaction.atomic
def setting_save(
    *,
    actor: "User",
    kind: str,
    enabled: bool,
    value: int | None = None,
    dates: str = "",
    org: "Org | None" = None,
    program: "Program | None" = None,
) -> ReminderSetting:
    """Switch a kind on or off for an org's subtree or for one program, with its timing
    (empty: the default)."""
    _check_place(actor, org, program, kind)
    timing = KINDS[kind].timing
    if value is not None and not timing.low <= value <= timing.high:
        raise ReminderError(
            "invalid_value",
            _("时间应在 %(low)s 到 %(high)s 之间。") % {"low": timing.low, "high": timing.high},
            field="value",
        )
    if kind == HOURS_SHORT and dates.strip():
        try:
            dates = format_dates(parse_dates(dates))
        except ValueError:
            raise ReminderError(
                "invalid_dates",
                _("提醒日期写作 月-日，多个用逗号分开，如 10-01,11-01,12-01。"),
                field="dates",
            ) from None
    else:
        dates = ""
    row = _rows(org, program, kind).select_for_update().first()
    before = snapshot(row, FIELDS) if row is not None else {}
    if row is None:
        row = ReminderSetting(org=org, program=program, kind=kind)
    row.enabled, row.value, row.dates, row.updated_by = enabled, value, dates, actor
    row.save()
    after = snapshot(row, FIELDS)
    audit_record(
        actor=actor, action="update" if before else "create", obj=row, changes=diff(before, after)
    )
    return row


@transaction.atomic
def setting_reset(
    *, actor: "User", kind: str, org: "Org | None" = None, program: "Program | None" = None
) -> int:
    """Drop the place's own setting: it inherits again (the org above, or the defaults)."""
    _check_place(actor, org, program, kind)
    rows = list(_rows(org, program, kind))
    for row in rows:
        audit_record(actor=actor, action="delete", obj=row, changes=diff(snapshot(row, FIELDS), {}))
        row.delete()
    return len(rows)
