"""The check-in itself, shared by the QR scan, the kiosk API and the organizer's desk.

The hot path is one statement: ``INSERT … SELECT … WHERE EXISTS (<expected>) ON CONFLICT DO
NOTHING RETURNING id``. It writes the row only for an expected trainee and never twice (the
unique (session, cadre) constraint decides, so concurrent duplicates cannot both win nor raise).
Only when nothing was inserted does a second query find out why: already checked in (success,
the first row and time) or not expected (refused, or recorded as a walk-in where allowed).

Scans are not written to the audit log: the attendance row itself records who, when, where and
how (method, recorded_by). The organizer's manual, sheet and check-out writes are audited.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.events import AttendanceRecorded
from ganxun.checkin.models import Attendance
from ganxun.core import events
from ganxun.enrollment.expected import expected_sql
from ganxun.orgs.models import Cadre
from ganxun.programs.models import ProgramTrainee, Session

# Check-in opens this long before the class starts (people arrive early) and closes at its end.
OPENS_BEFORE = timedelta(minutes=30)


@dataclass(frozen=True)
class CheckinResult:
    attendance: Attendance
    created: bool

    @property
    def status(self) -> str:
        return "checked_in" if self.created else "already_checked_in"


def window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - OPENS_BEFORE, session.ends_at


def require_open(session: Session, now: datetime) -> None:
    """session_closed before the window opens, after the class ends, or when cancelled."""
    opens, closes = window(session)
    if session.status != Session.Status.SCHEDULED:
        raise CheckinError("session_closed", _("本次课已取消，无需签到。"))
    if now < opens:
        local = timezone.localtime(opens)
        raise CheckinError(
            "session_closed",
            _("签到尚未开始：开课前 30 分钟（%(time)s）开放签到。")
            % {"time": date_format(local, _("m月d日 H:i"))},
        )
    if now > closes:
        raise CheckinError("session_closed", _("本次课已结束，签到已关闭。如有疑问请联系教务。"))


def late_minutes_at(session: Session, when: datetime) -> int:
    """Minutes after the start, counted only beyond the session's tolerance (迟到判定)."""
    minutes = int((when - session.starts_at).total_seconds() // 60)
    return min(minutes, 32767) if minutes > session.late_after_minutes else 0


def early_minutes_at(session: Session, when: datetime) -> int:
    """Minutes before the end, counted only beyond the session's tolerance (早退判定)."""
    minutes = int((session.ends_at - when).total_seconds() // 60)
    return min(minutes, 32767) if minutes > session.early_leave_minutes else 0


def require_session_venue(session: Session, venue_id: int | None) -> int | None:
    """The venue checked in at: one of the session's classrooms (default: the main one)."""
    if venue_id is None or venue_id == session.main_venue_id:
        return session.main_venue_id
    linked = Session.sub_venues.through.objects.filter(session_id=session.pk, venue_id=venue_id)
    if not linked.exists():
        raise CheckinError("invalid_venue", _("该教室不是本次课的主课堂或分课堂。"), field="venue")
    return venue_id


def check_in(
    *,
    actor: User,
    session: Session,
    cadre_id: int,
    venue_id: int | None,
    method: str,
    at: datetime,
) -> CheckinResult:
    """Record ``cadre_id`` at ``session`` (callers checked the window and the actor's right).

    Idempotent: a repeated call returns the first row with ``created=False``."""
    late = late_minutes_at(session, at)
    values = [session.pk, cadre_id, venue_id, at, late, method, actor.pk]
    with _atomic_if_listened():
        row_id = _insert(values, expected=_expected_sql(session, cadre_id))
        if row_id is not None:
            return _created(row_id, values, session, walk_in=False)
        # scope: the row the insert above found already there (callers checked the actor's right)
        existing = Attendance._base_manager.filter(session=session, cadre_id=cadre_id).first()
        if existing is not None:
            return CheckinResult(existing, created=False)
        _require_walk_in_allowed(session, cadre_id)
        with transaction.atomic():  # the program list and the row together, or neither
            _add_walk_in_trainee(session, cadre_id)
            row_id = _insert(values, walk_in=True)
        if row_id is not None:
            return _created(row_id, values, session, walk_in=True)
        # A concurrent request for the same walk-in won the insert: same answer as a repeat.
        return CheckinResult(
            # scope: the row a concurrent insert for the same (session, cadre) just wrote
            Attendance._base_manager.get(session=session, cadre_id=cadre_id),
            created=False,
        )


def _atomic_if_listened():
    # A single INSERT is atomic by itself; the subscribed steps (credits) must write in the same
    # transaction, so open one only when there are some — it saves two round trips per scan.
    if events.subscribers(AttendanceRecorded) or connection.in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def _created(row_id: int, values: list, session: Session, *, walk_in: bool) -> CheckinResult:
    session_id, cadre_id, venue_id, at, late, method, recorded_by = values
    attendance = Attendance(
        pk=row_id,
        session_id=session_id,
        cadre_id=cadre_id,
        venue_id=venue_id,
        checked_in_at=at,
        late_minutes=late,
        method=method,
        walk_in=walk_in,
        recorded_by_id=recorded_by,
    )
    attendance._state.adding = False
    attendance.session = session  # the steps read it (and its program): no query for them
    # 学时 (credits), the invitation to rate the class (evaluations), the /metrics count (ops)
    events.publish(AttendanceRecorded(attendance=attendance, created=True))
    return CheckinResult(attendance, created=True)


def _expected_sql(session: Session, cadre_id: int) -> tuple[str, list]:
    return expected_sql(session, cadre_id)


_COLUMNS = (
    "session_id",
    "cadre_id",
    "venue_id",
    "checked_in_at",
    "late_minutes",
    "method",
    "recorded_by_id",
)


def _insert(values: list, *, expected: tuple[str, list] | None = None, walk_in=False):
    """One INSERT … ON CONFLICT DO NOTHING RETURNING id; None when no row was written."""
    qn = connection.ops.quote_name
    table = qn(Attendance._meta.db_table)
    columns = ", ".join(qn(c) for c in (*_COLUMNS, "early_minutes", "walk_in"))
    params = list(values)
    params[3] = connection.ops.adapt_datetimefield_value(params[3])
    params += [0, walk_in]
    # SQLite needs a WHERE on INSERT … SELECT … ON CONFLICT to parse it; PostgreSQL is fine too.
    condition, extra = (f"EXISTS ({expected[0]})", expected[1]) if expected else ("1 = 1", ())
    placeholders = ", ".join(["%s"] * len(params))
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {placeholders} WHERE {condition} "
        f"ON CONFLICT ({qn('session_id')}, {qn('cadre_id')}) DO NOTHING RETURNING {qn('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *extra])
        row = cursor.fetchone()
    return row[0] if row else None


def _require_walk_in_allowed(session: Session, cadre_id: int) -> None:
    if not session.allow_walk_in:
        raise CheckinError(
            "not_enrolled",
            _("您不在本次课的学员名单中，无法签到。如需参加请联系教务或本单位联络员。"),
        )
    program_org_path = session.program.org.path
    # scope: only the unit path of the cadre checking in, compared with the program's tree below
    unit_path = Cadre._base_manager.filter(pk=cadre_id).values_list("unit__path", flat=True).first()
    # Walk-ins come from the program's own tree (搭车: lower units ride along), never outside.
    if unit_path is None or not unit_path.startswith(program_org_path):
        raise CheckinError(
            "not_enrolled", _("您所在单位不在本项目的培训范围内，无法旁听签到。请联系教务。")
        )


def _add_walk_in_trainee(session: Session, cadre_id: int) -> None:
    """A walk-in joins the program's list (source walk_in) unless already on it."""
    # scope: a write (no read) of the walk-in just allowed by _require_walk_in_allowed
    ProgramTrainee._base_manager.bulk_create(
        [
            ProgramTrainee(
                program_id=session.program_id,
                cadre_id=cadre_id,
                batch=session.batch,
                source=ProgramTrainee.Source.WALK_IN,
            )
        ],
        ignore_conflicts=True,
    )
