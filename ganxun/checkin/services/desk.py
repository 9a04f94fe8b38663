"""The organizer's desk: manual check-in, a paper sign-in sheet typed in, and check-out.

These writes are audited (unlike scans): a person decided them on somebody else's behalf.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.checkin import policies
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.events import AttendanceRecorded
from ganxun.checkin.models import Attendance
from ganxun.checkin.services.core import (
    CheckinResult,
    check_in,
    early_minutes_at,
    window,
)
from ganxun.core import events
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.orgs.models import Cadre
from ganxun.programs.models import ProgramTrainee, Session


def _require_desk(actor: User, session: Session) -> None:
    if not policies.can_run_checkin(actor, session):
        raise PermissionDenied()
    if session.status != Session.Status.SCHEDULED:
        raise CheckinError("session_closed", _("本次课已取消，无法签到。"))


def _venue_for(session: Session, cadre_id: int) -> int | None:
    """Where a trainee checked in by hand sat: the classroom assigned to them, else the main."""
    assigned = (
        # scope: the desk's actor was checked for this session; its program's list, one cadre
        ProgramTrainee._base_manager.filter(program_id=session.program_id, cadre_id=cadre_id)
        .values_list("venue_id", flat=True)
        .first()
    )
    return assigned or session.main_venue_id


@transaction.atomic
def attendance_record_manual(
    *, actor: User, session: Session, cadre: Cadre, at: datetime | None = None
) -> CheckinResult:
    """Check a trainee in by hand (forgot the phone, no signal). ``at`` is when the trainee
    arrived: by default now, or — recorded after class — the start (present, on time)."""
    _require_desk(actor, session)
    now = timezone.now()
    opens, closes = window(session)
    at = at or (now if now <= closes else session.starts_at)
    if now < opens:
        raise CheckinError("session_closed", _("签到尚未开始（开课前 30 分钟开放）。"))
    if not opens <= at <= closes:
        raise CheckinError("invalid_time", _("签到时间须在开课前 30 分钟至下课之间。"), field="at")
    result = check_in(
        actor=actor,
        session=session,
        cadre_id=cadre.pk,
        venue_id=_venue_for(session, cadre.pk),
        method=Attendance.Method.MANUAL,
        at=at,
    )
    if result.created:
        audit_record(
            actor=actor,
            action="attendance.manual",
            obj=result.attendance,
            object_repr=f"{cadre.name} @ {session.title}"[:200],
            changes={
                "checked_in_at": [None, at.isoformat()],
                "walk_in": [None, result.attendance.walk_in],
            },
        )
    return result


@transaction.atomic
def attendance_record_sheet(*, actor: User, session: Session, cadres: list[Cadre]) -> dict:
    """Record everybody who signed the paper sheet, as present from the start (a signature says
    nothing about the minute). Trainees already checked in keep their record. All or nothing:
    one refused name (not enrolled, no walk-ins) leaves the sheet unrecorded."""
    _require_desk(actor, session)
    if timezone.now() < window(session)[0]:
        raise CheckinError("session_closed", _("课次尚未开始，不能录入签到表。"))
    created: list[str] = []
    already: list[str] = []
    for cadre in cadres:
        try:
            result = check_in(
                actor=actor,
                session=session,
                cadre_id=cadre.pk,
                venue_id=_venue_for(session, cadre.pk),
                method=Attendance.Method.SHEET,
                at=session.starts_at,
            )
        except CheckinError as exc:
            raise CheckinError(exc.code, f"{cadre.name}：{exc.message}") from None
        (created if result.created else already).append(cadre.name)
    audit_record(
        actor=actor,
        action="attendance.sheet",
        obj=session,
        changes={"recorded": [None, created], "already": [None, already]},
    )
    return {"created": len(created), "already": len(already)}


@transaction.atomic
def attendance_check_out(
    *, actor: User, session: Session, cadre_id: int, at: datetime | None = None, by_self=False
) -> Attendance:
    """Check a trainee out; leaving before the end beyond the tolerance marks 早退 minutes.
    A trainee may check themselves out (``by_self``); otherwise an organizer does it."""
    if by_self:
        if actor.cadre_id != cadre_id:
            raise PermissionDenied()
    else:
        _require_desk(actor, session)
    if not session.requires_checkout:
        raise CheckinError("checkout_not_required", _("本次课无需签退。"))
    attendance = (
        # scope: the held session's row of a cadre the desk (or the trainee themself) may check out
        Attendance._base_manager.select_for_update()
        .filter(session=session, cadre_id=cadre_id)
        .first()
    )
    if attendance is None:
        raise CheckinError("not_checked_in", _("尚未签到，不能签退。"))
    if attendance.checked_out_at is not None:
        return attendance  # a second check-out keeps the first time, like a second check-in
    now = timezone.now()
    at = at or min(now, session.ends_at)
    if at < attendance.checked_in_at:
        raise CheckinError("invalid_time", _("签退时间不能早于签到时间。"), field="at")
    attendance.checked_out_at = at
    attendance.early_minutes = early_minutes_at(session, at)
    attendance.save(update_fields=["checked_out_at", "early_minutes"])
    if not by_self:
        audit_record(
            actor=actor,
            action="attendance.check_out",
            obj=attendance,
            changes={"checked_out_at": [None, at.isoformat()]},
        )
    # 学时 recomputed for the shorter stay (credits)
    events.publish(AttendanceRecorded(attendance=attendance, created=False))
    return attendance
