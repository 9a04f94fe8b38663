"""Check-in by a trainee's scan and by a kiosk or another system through the API."""

import functools
from datetime import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.checkin import codes, geo, policies
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.models import Attendance
from ganxun.checkin.services.core import (
    CheckinResult,
    check_in,
    require_open,
    require_session_venue,
)
from ganxun.core.errors import NotFound
from ganxun.core.rawrows import instance_from_row, select_list
from ganxun.core.values import query_int
from ganxun.orgs.idcard import InvalidIdNumber, parse_id_number
from ganxun.orgs.lookup import cadre_by_id_number
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Program, Session, Venue

_UNREAD = object()  # attendance_scan's venue not given: read it


def session_for_checkin(session_id) -> Session:
    """The session with what check-in and its steps read: its program's channel and org
    path (walk-ins, the organizer's right). One statement written once on the hot path — the
    ORM's select_related across three wide tables, and even ``raw()``, cost more than the round
    trip (core/rawrows.py); the program and org are partial instances whose other fields load
    on access (deferred)."""
    session = None
    # raw SQL: a value beyond the column (2⁶³) would overflow SQLite's driver, not just miss
    if (pk := query_int(session_id, min_value=1)) is not None:
        # Callers decide what is shown: signed code, can_run_checkin, own attendance row.
        # (scope: the hot check-in SQL by id, authorised by each caller as said above)
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(), [pk])
            row = cursor.fetchone()
    if row is None:
        raise NotFound(_("未找到该课次。"))
    session = instance_from_row(Session, row)
    alias = session._state.db
    channel, org_id, org_path = row[-3:]
    program = Program.from_db(
        alias, ["id", "org_id", "channel"], [session.program_id, org_id, channel]
    )
    program.org = Org.from_db(alias, ["id", "path"], [org_id, org_path])
    session.program = program
    return session


@functools.cache
def _session_sql() -> str:
    qn = connection.ops.quote_name
    columns = select_list(Session, "s")
    return (
        f"SELECT {columns}, p.{qn('channel')}, p.{qn('org_id')}, "
        f"o.{qn('path')} FROM {qn(Session._meta.db_table)} s "
        f"JOIN {qn(Program._meta.db_table)} p ON p.{qn('id')} = s.{qn('program_id')} "
        f"JOIN {qn(Org._meta.db_table)} o ON o.{qn('id')} = p.{qn('org_id')} "
        f"WHERE s.{qn('id')} = %s"
    )


def attendance_scan(
    *,
    actor: User,
    scan: codes.ScanCode,
    position: tuple[float, float] | None = None,
    now: datetime | None = None,
    venue: Venue | object | None = _UNREAD,
) -> CheckinResult:
    """A trainee checks themselves in with a code read from the projector (already verified
    by ``codes.read_code``: the signature says which session and venue). ``venue``: the
    code's venue when the caller has read it already (the scan page does, for its geofence),
    so a scan in a burst costs one query less."""
    cadre_id = actor.cadre_id
    if cadre_id is None or not policies.can_scan(actor):
        raise CheckinError("no_cadre", _("您的账号未关联干部信息，无法扫码签到。请联系管理员。"))
    now = now or timezone.now()
    session = session_for_checkin(scan.session_id)
    if not isinstance(venue, Venue | None) or (venue is not None and venue.pk != scan.venue_id):
        # scope: the venue named by the signed code (a trainee cannot list venues)
        venue = Venue._base_manager.filter(pk=scan.venue_id).first()
    require_open(session, now)
    geo.require_inside(venue, position)
    return check_in(
        actor=actor,
        session=session,
        cadre_id=cadre_id,
        venue_id=venue.pk if venue else session.main_venue_id,
        method=Attendance.Method.QR,
        at=now,
    )


def attendance_check_in(
    *,
    actor: User,
    session_id,
    cadre_id: int | None = None,
    id_number: str = "",
    venue_id: int | None = None,
    now: datetime | None = None,
    method: str = Attendance.Method.API,
) -> CheckinResult:
    """A kiosk (签到机) or another system checks a trainee in, acting as an organizer."""
    session = session_for_checkin(session_id)
    if not policies.can_run_checkin(actor, session):
        raise NotFound(_("未找到该课次。"))
    now = now or timezone.now()
    require_open(session, now)
    if cadre_id is None:
        cadre_id = _cadre_id_by_number(actor, id_number)
    return check_in(
        actor=actor,
        session=session,
        cadre_id=cadre_id,
        venue_id=require_session_venue(session, venue_id),
        method=method,
        at=now,
    )


def _cadre_id_by_number(actor: User, id_number: str) -> int:
    if not id_number:
        raise CheckinError("invalid_request", _("请提供学员（cadre）或身份证号（id_number）。"))
    try:
        number = parse_id_number(id_number).value
    except InvalidIdNumber as exc:
        raise CheckinError(
            "invalid_id_number", _("身份证号有误：%(exc)s") % {"exc": exc}, field="id_number"
        ) from None
    cadre = cadre_by_id_number(Cadre.objects.visible_to(actor), number)
    if cadre is None:
        raise CheckinError("not_enrolled", _("未找到该身份证号对应的学员，无法签到。"))
    return cadre.pk
