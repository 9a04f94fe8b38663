"""Reads of the reminders app: what holds at an org or a program, and what was sent."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ganxun.reminders.models import ReminderFired, ReminderSetting
from ganxun.reminders.switches import KINDS, PROGRAM_KINDS, Effective, ReminderKind, resolve

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.orgs.models import Org
    from ganxun.programs.models import Program


@dataclass
class Line:
    kind: ReminderKind
    effective: Effective
    own: ReminderSetting | None  # the place's own row, if any


def _lineage_rows(org: "Org") -> dict[str, dict[str, ReminderSetting]]:
    """{kind: {org path: row}} of the org and the orgs above it — what it inherits."""
    # scope: the switches of a held org's own lineage decide what holds there (no personal data)
    rows = ReminderSetting._base_manager.filter(
        org_id__in=[*org.ancestor_ids, org.pk], program__isnull=True
    ).select_related("org")
    out: dict[str, dict[str, ReminderSetting]] = {k: {} for k in KINDS}
    for row in rows:
        if row.org is not None:
            out[row.kind][row.org.path] = row
    return out


def org_lines(org: "Org") -> list[Line]:
    rows = _lineage_rows(org)
    lines = []
    for kind in KINDS.values():
        effective = resolve(
            kind.code, org_path=org.path, org_rows=rows[kind.code], here_path=org.path
        )
        own = rows[kind.code].get(org.path)
        lines.append(Line(kind, effective, own))
    return lines


def program_lines(program: "Program") -> list[Line]:
    rows = _lineage_rows(program.org)
    # scope: the program's own switches (the caller holds the program)
    mine = ReminderSetting._base_manager.filter(program=program, org__isnull=True)
    own = {r.kind: r for r in mine}
    lines = []
    for kind in PROGRAM_KINDS:
        effective = resolve(
            kind.code,
            org_path=program.org.path,
            org_rows=rows[kind.code],
            program_row=own.get(kind.code),
        )
        lines.append(Line(kind, effective, own.get(kind.code)))
    return lines


def program_fired(actor: "User", program: "Program", limit: int = 20) -> list[ReminderFired]:
    return list(ReminderFired.objects.visible_to(actor).filter(program=program)[:limit])
