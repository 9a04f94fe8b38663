"""Check-in for kiosks (签到机) and other systems, and a trivial authenticated endpoint.

``POST /api/checkin`` acts as the token's user, who must run the session's program. Repeating a
check-in is harmless: ``already_checked_in`` is a success carrying the first time.
"""

from datetime import datetime

from ninja import Router, Schema

from ganxun.checkin import services
from ganxun.core.api import ErrorOut

router = Router(tags=["签到"])


class CheckinIn(Schema):
    session: int
    cadre: int | None = None
    id_number: str = ""
    venue: int | None = None


class CheckinOut(Schema):
    status: str
    attendance: int
    checked_in_at: datetime
    late_minutes: int
    walk_in: bool


class PingOut(Schema):
    user: str


@router.post(
    "/checkin",
    response={200: CheckinOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="签到（签到机、其他系统）",
)
def check_in(request, payload: CheckinIn):
    """Check in one trainee (by ``cadre`` id or ``id_number``) at a session, optionally at one
    of its classrooms. Refusals carry a stable ``code``: not_enrolled, session_closed,
    invalid_venue, invalid_id_number, not_found."""
    result = services.attendance_check_in(
        actor=request.auth,
        session_id=payload.session,
        cadre_id=payload.cadre,
        id_number=payload.id_number.strip(),
        venue_id=payload.venue,
    )
    row = result.attendance
    return {
        "status": result.status,
        "attendance": row.pk,
        "checked_in_at": row.checked_in_at,
        "late_minutes": row.late_minutes,
        "walk_in": row.walk_in,
    }


@router.get("/ping", response=PingOut, summary="连通性检查（需认证）")
def ping(request):
    """Answers the signed-in user's name: checks a token works (and is the baseline the
    check-in benchmark compares against)."""
    return {"user": request.auth.username}
