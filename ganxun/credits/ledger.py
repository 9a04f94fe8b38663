"""Writing automatic credits without ever counting twice.

Every automatic credit has a *source* ("session:12" for attending, "teach:12" for teaching,
"program:3" for a graduation bonus, "ext:45" for an external record) and is written under the
reference key "<source>/<version>", unique per cadre in the database. Writing is
INSERT … ON CONFLICT DO NOTHING, so a re-sent signal, a retried job or two recomputes racing each
other write a key once. When the amount a source should give changes (a check-out reveals an
early leave, the rules change), the live version is reversed ("<key>/r", negative hours) and the
next version written — the ledger shows both, nothing is edited.
"""

import functools
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from ganxun.core import hours
from ganxun.core.hours import floor_half, session_minutes
from ganxun.core.scoping import unscoped
from ganxun.credits.models import Channel, CreditEntry, CreditSettings

ZERO = Decimal("0")
# programs.Channel (how a program reaches cadres) → the ledger's channel.
PROGRAM_CHANNELS = {
    "local": Channel.CENTRAL,
    "out": Channel.OUT_OF_REGION,
    "invited": Channel.CENTRAL,
    "remote": Channel.REMOTE,
    "mobile": Channel.CENTRAL,
    "self": Channel.SELF_SELECTED,
    "online": Channel.ONLINE,
}
_SETTINGS_TTL = 30.0
_settings_cache: dict = {}


def credit_settings() -> CreditSettings:
    """The crediting rules, cached for a few seconds: the check-in path reads them per request."""
    cached = _settings_cache.get("row")
    if cached and time.monotonic() - cached[0] < _SETTINGS_TTL:
        return cached[1]
    row = CreditSettings.current()
    _settings_cache["row"] = (time.monotonic(), row)
    return row


def forget_settings() -> None:
    _settings_cache.clear()


def hours_rule(rules: CreditSettings) -> hours.HoursRule:
    return hours.HoursRule(minutes_per_hour=rules.minutes_per_hour)


def session_hours(session, rules: CreditSettings) -> Decimal:
    """The session's 学时 by the one definition (``core.hours``) under these rules."""
    return hours.session_hours(session, hours_rule(rules))


def attendance_hours(attendance, session, rules: CreditSettings) -> Decimal:
    """学时 earned by one attendance, after the late/early-leave rule."""
    if session.status != "scheduled":
        return ZERO
    if session.requires_checkout and attendance.checked_out_at is None:
        return ZERO  # credited when the trainee checks out
    base = session_hours(session, rules)
    missed = (attendance.late_minutes or 0) + (attendance.early_minutes or 0)
    if not missed or rules.late_rule == CreditSettings.LateRule.FULL:
        return base
    if rules.late_rule == CreditSettings.LateRule.FORFEIT:
        return ZERO if missed > rules.forfeit_after_minutes else base
    length = session_minutes(session)
    if not length:
        return ZERO
    return floor_half(base * Decimal(max(length - missed, 0)) / Decimal(length))


def program_channel(program_channel_code: str) -> int:
    return PROGRAM_CHANNELS.get(program_channel_code, Channel.CENTRAL)


@dataclass(frozen=True)
class Desired:
    """What one source should have credited to one cadre."""

    cadre_id: int
    source: str
    hours: Decimal
    day: date
    channel: int
    title: str
    session_id: int | None = None
    program_id: int | None = None
    recorded_by_id: int | None = None


def first_version(want: Desired) -> CreditEntry:
    return _entry(want, f"{want.source}/1", want.hours, reason="")


def changes_for(want: Desired, existing: list[CreditEntry], reason: str) -> list[CreditEntry]:
    """The rows that bring ``source``'s net credit to ``want.hours``: none when it already is;
    otherwise reversals of the live versions and, if anything is due, the next version."""
    reversed_ids = {e.reverses_id for e in existing if e.reverses_id}
    live = [e for e in existing if not e.reverses_id and e.pk not in reversed_ids]
    net = sum((e.hours for e in live), ZERO)
    if net == want.hours:
        return []
    rows = [
        CreditEntry(
            cadre_id=e.cadre_id,
            day=e.day,
            hours=-e.hours,
            channel=e.channel,
            title=e.title,
            source=e.source,
            ref_key=f"{e.ref_key}/r",
            session_id=e.session_id,
            program_id=e.program_id,
            reverses_id=e.pk,
            reason=reason,
            recorded_by_id=want.recorded_by_id,
        )
        for e in live
    ]
    if want.hours > 0:
        versions = [_version(e.ref_key) for e in existing if not e.reverses_id]
        rows.append(
            _entry(want, f"{want.source}/{max(versions, default=0) + 1}", want.hours, reason)
        )
    return rows


def _version(ref_key: str) -> int:
    tail = ref_key.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _entry(want: Desired, key: str, hours: Decimal, reason: str) -> CreditEntry:
    return CreditEntry(
        cadre_id=want.cadre_id,
        day=want.day,
        hours=hours,
        channel=want.channel,
        title=want.title[:200],
        source=want.source,
        ref_key=key,
        session_id=want.session_id,
        program_id=want.program_id,
        reason=reason,
        recorded_by_id=want.recorded_by_id,
    )


def write(rows: list[CreditEntry]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a key already written (by a retry, a racing recompute)
    is skipped by the database itself."""
    if len(rows) == 1:
        _insert_one(rows[0])  # a check-in's entry
    elif rows:
        # scope: an INSERT of the ledger's own rows, which reads nothing
        CreditEntry._base_manager.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


def _insert_one(row: CreditEntry) -> None:
    """The same INSERT … ON CONFLICT DO NOTHING as ``bulk_create(ignore_conflicts=True)`` for
    one row, its statement written once: each check-in writes one entry, and the ORM's insert
    compiler (and the scoped manager's visibility filter, for a trainee a query of their org)
    cost more than the insert itself (issue 19)."""
    fields = _insert_fields()
    values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), values)


@functools.cache
def _insert_fields() -> tuple:
    return tuple(f for f in CreditEntry._meta.concrete_fields if not f.primary_key)


@functools.cache
def _insert_sql(vendor: str) -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in _insert_fields())
    marks = ", ".join(["%s"] * len(_insert_fields()))
    table = qn(CreditEntry._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING"


def sync(wanted: list[Desired], reason: str) -> int:
    """Bring each (cadre, source) of ``wanted`` to its amount; returns the rows written.
    Existing entries are read per batch by cadre (the indexed column), never per source."""
    written = 0
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        sources = {w.source for w in batch}
        existing: dict[tuple[int, str], list[CreditEntry]] = {}
        # Read whoever triggered it (a check-in, a recount): every version counts in the net.
        # scope: the ledger's own versions of the (cadre, source) keys being synced
        with unscoped():
            rows = CreditEntry.objects.filter(
                cadre_id__in={w.cadre_id for w in batch}, source__in=sources
            )
            for e in rows:
                existing.setdefault((e.cadre_id, e.source), []).append(e)
        out = []
        for want in batch:
            out.extend(changes_for(want, existing.get((want.cadre_id, want.source), []), reason))
        write(out)
        written += len(out)
    return written


def local_day(moment) -> date:
    return timezone.localdate(moment)
