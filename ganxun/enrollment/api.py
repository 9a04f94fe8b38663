"""Enrollment endpoints for mobile clients and unit systems: the self-selection menu, picks,
nominations and leave requests. Refusals come back as ``{"code", "message"}`` with the same
stable codes the pages use (quota_full, cadre_outside_unit, session_started, …)."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from ganxun.core.api import ErrorOut
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.enrollment import policies, selectors, services
from ganxun.orgs.models import Cadre

router = Router(tags=["报名与请假"])


class MenuItemOut(Schema):
    id: int
    title: str
    program: str
    form: str
    theme: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    enrolled: int
    waitlisted: int
    closes_at: datetime
    my_status: str | None


class SeatOut(Schema):
    id: int
    session_id: int
    status: str


class QuotaOut(Schema):
    id: int
    program: str
    org: str
    kind: str
    batch: int | None
    seats: int
    used: int
    confirmed: int


class NominateIn(Schema):
    cadre_id: int
    note: str = ""


class NominationOut(Schema):
    id: int
    quota_id: int
    cadre: str
    status: str


class LeaveIn(Schema):
    reason: str


class LeaveOut(Schema):
    id: int
    session_id: int
    status: str
    needs_organizer: bool


def _trainee(user) -> None:
    if not policies.can_select(user):
        raise PermissionDenied()


@router.get("/enrollment/menu", response=list[MenuItemOut], summary="自主选学菜单")
def menu(request, theme: str = "", form: str = ""):
    _trainee(request.auth)
    # Any: the selector sets n_enrolled, n_waiting, closes_at and my_seat on each session
    sessions: list[Any] = selectors.menu_sessions(request.auth, theme=theme, form=form)
    return [
        {
            "id": s.pk,
            "title": s.title,
            "program": s.program.full_name,
            "form": s.form,
            "theme": s.theme.name if s.theme else None,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "capacity": s.capacity,
            "enrolled": s.n_enrolled,
            "waitlisted": s.n_waiting,
            "closes_at": s.closes_at,
            "my_status": s.my_seat.status if s.my_seat else None,
        }
        for s in sessions
    ]


@router.post(
    "/enrollment/sessions/{session_id}/pick",
    response={201: SeatOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="选课（名额满则候补）",
)
def pick(request, session_id: int):
    _trainee(request.auth)
    session = selectors.get_menu_session_for(request.auth, session_id)
    seat = services.seat_pick(actor=request.auth, session=session)
    return Status(201, {"id": seat.pk, "session_id": session.pk, "status": seat.status})


@router.post(
    "/enrollment/seats/{seat_id}/cancel",
    response={200: SeatOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="退选（空出的名额自动递补候补）",
)
def cancel(request, seat_id: int):
    seat = selectors.get_seat_for(request.auth, seat_id)
    seat = services.seat_cancel(actor=request.auth, seat=seat)
    return {"id": seat.pk, "session_id": seat.session_id, "status": seat.status}


@router.get("/enrollment/quotas", response=list[QuotaOut], summary="本单位的调训/搭车名额")
def quotas(request):
    if not policies.is_contact(request.auth):
        raise PermissionDenied()
    # Any: the selector sets used and confirmed on each quota
    quotas: list[Any] = selectors.contact_quotas(request.auth)
    return [
        {
            "id": q.pk,
            "program": q.program.full_name,
            "org": q.org.name,
            "kind": q.kind,
            "batch": q.batch,
            "seats": q.seats,
            "used": q.used,
            "confirmed": q.confirmed,
        }
        for q in quotas
    ]


@router.post(
    "/enrollment/quotas/{quota_id}/nominations",
    response={201: NominationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="在名额内报名一名干部",
)
def nominate(request, quota_id: int, payload: NominateIn):
    quota = selectors.get_quota_for(request.auth, quota_id)
    cadre = (
        Cadre.objects.visible_to(request.auth)
        .select_related("unit")
        .filter(pk=payload.cadre_id)
        .first()
    )
    if cadre is None:
        raise NotFound("所选干部不存在，或不在您的名册中。")
    nomination = services.nomination_create(
        actor=request.auth, quota=quota, cadre=cadre, note=payload.note
    )
    return Status(
        201,
        {
            "id": nomination.pk,
            "quota_id": quota.pk,
            "cadre": cadre.name,
            "status": nomination.status,
        },
    )


@router.post(
    "/enrollment/sessions/{session_id}/leave",
    response={201: LeaveOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="请假",
)
def leave(request, session_id: int, payload: LeaveIn):
    session = selectors.get_leave_session_for(request.auth, session_id)
    row = services.leave_request(actor=request.auth, session=session, reason=payload.reason)
    return Status(
        201,
        {
            "id": row.pk,
            "session_id": session.pk,
            "status": row.status,
            "needs_organizer": row.needs_organizer,
        },
    )
