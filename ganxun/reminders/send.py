"""Firing one occurrence of a reminder exactly once, and the settings book of a run."""

from collections import defaultdict
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from ganxun.messaging import outbox
from ganxun.messaging.outbox import Outgoing
from ganxun.reminders.models import ReminderFired, ReminderSetting
from ganxun.reminders.switches import Effective, resolve


def local_text(moment: datetime) -> str:
    """ "3月2日 09:00" — notices are Chinese data, like the 调训通知."""
    moment = timezone.localtime(moment)
    return f"{moment.month}月{moment.day}日 {moment:%H:%M}"


def stamp(moment: datetime) -> str:
    """The part of a key that pins an occurrence to a moment (a moved class is a new one)."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M}"


def fired_keys(keys) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    # scope: the scheduler's own ledger of keys (no personal data), read by key
    return set(ReminderFired._base_manager.filter(key__in=keys).values_list("key", flat=True))


def fire(
    *, key: str, kind: str, items: list[Outgoing], program=None, org=None, claim_empty=False
) -> int:
    """Claim ``key`` and send ``items`` in one transaction; 0 (nothing sent) when it was
    claimed before — by an earlier run or by another worker at the same moment (the unique
    key makes the second wait for the first and then find it). Nobody to tell: nothing is
    claimed, so people who become due later in the window are still told — unless
    ``claim_empty`` (a costly sweep, such as the year's hours, is not redone every minute)."""
    if not items and not claim_empty:
        return 0
    with transaction.atomic():
        # scope: the scheduler's own ledger, written by key
        claimed, created = ReminderFired._base_manager.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "program_id": getattr(program, "pk", None),
                "org_id": getattr(org, "pk", None),
            },
        )
        if not created:
            return 0
        sent = 0
        if items:
            sent = outbox.send_each(
                kind=kind,
                items=items,
                program_id=getattr(program, "pk", None),
                org_id=getattr(org, "pk", None) or getattr(program, "org_id", None),
                key=key,
            )
        claimed.recipients = sent
        claimed.save(update_fields=["recipients"])
    return sent


class Book:
    """Every switch, read once per run (a handful of rows)."""

    def __init__(self):
        self.org_rows: dict[str, dict[str, ReminderSetting]] = defaultdict(dict)
        self.program_rows: dict[tuple[int, str], ReminderSetting] = {}
        # scope: the scheduler reads every switch (SYSTEM); settings carry no personal data
        for row in ReminderSetting._base_manager.select_related("org"):
            if row.program_id:
                self.program_rows[(row.program_id, row.kind)] = row
            elif row.org is not None:
                self.org_rows[row.kind][row.org.path] = row

    def for_program(self, kind: str, program) -> Effective:
        return resolve(
            kind,
            org_path=program.org.path,
            org_rows=self.org_rows[kind],
            program_row=self.program_rows.get((program.pk, kind)),
        )

    def for_path(self, kind: str, path: str) -> Effective:
        return resolve(kind, org_path=path, org_rows=self.org_rows[kind])

    def owner(self, kind: str, path: str) -> str:
        """The path of the org whose row governs ``path`` ("" = the defaults)."""
        best = ""
        for own in self.org_rows[kind]:
            if path.startswith(own) and len(own) > len(best):
                best = own
        return best
