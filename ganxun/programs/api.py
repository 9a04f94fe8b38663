"""Read endpoints for programs and their timetable (check-in devices, mobile clients), scoped
like the pages."""

from datetime import date, datetime

from django.core.paginator import Paginator
from django.db.models import Q
from ninja import Router, Schema

from ganxun.core.api import ErrorOut
from ganxun.core.errors import PermissionDenied
from ganxun.programs import policies, selectors

router = Router(tags=["培训项目"])


class UnitOut(Schema):
    id: int
    seq: int
    title: str
    theme: str | None
    start_date: date
    end_date: date


class ProgramOut(Schema):
    id: int
    name: str
    full_name: str
    brand: str
    cohort: int | None
    org: str
    start_date: date
    end_date: date
    status: str
    batch_count: int
    steps: list[dict]


class ProgramDetailOut(ProgramOut):
    units: list[UnitOut]


class ProgramPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ProgramOut]


class VenueRef(Schema):
    id: int
    name: str
    kind: str
    capacity: int | None
    stream_url: str


class SessionOut(Schema):
    id: int
    title: str
    unit_id: int | None
    form: str
    starts_at: datetime
    ends_at: datetime
    batch: int | None
    status: str
    outline_status: str
    lecturers: list[str]
    main_venue: VenueRef | None
    sub_venues: list[VenueRef]


def _require(user) -> None:
    if not policies.can_use_programs(user):
        raise PermissionDenied()


def _program(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "full_name": p.full_name,
        "brand": p.brand,
        "cohort": p.cohort,
        "org": p.org.name,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "status": p.status,
        "batch_count": p.batch_count,
        "steps": p.steps,
    }


def _venue(v) -> dict | None:
    if v is None:
        return None
    return {
        "id": v.pk,
        "name": v.name,
        "kind": v.kind,
        "capacity": v.capacity,
        "stream_url": v.stream_url,
    }


@router.get("/programs", response=ProgramPage, summary="培训项目列表")
def list_programs(request, q: str = "", status: str = "", page: int = 1, size: int = 50):
    _require(request.auth)
    qs = selectors.program_list(request.auth, q=q.strip(), status=status)
    paginator = Paginator(qs, max(1, min(size, 200)))
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_program(p) for p in current],
    }


@router.get(
    "/programs/{program_id}",
    response={200: ProgramDetailOut, 404: ErrorOut},
    summary="培训项目详情（含单元）",
)
def get_program(request, program_id: int):
    _require(request.auth)
    program = selectors.get_program_for(request.auth, program_id)
    units = [
        {
            "id": u.pk,
            "seq": u.seq,
            "title": u.title,
            "theme": u.theme.name if u.theme else None,
            "start_date": u.start_date,
            "end_date": u.end_date,
        }
        for u in selectors.program_units(program)
    ]
    return {**_program(program), "units": units}


@router.get(
    "/programs/{program_id}/sessions",
    response={200: list[SessionOut], 404: ErrorOut},
    summary="培训项目课表",
)
def program_sessions(request, program_id: int, batch: int | None = None):
    _require(request.auth)
    program = selectors.get_program_for(request.auth, program_id)
    sessions = selectors.program_sessions(program)
    if batch is not None:
        sessions = sessions.filter(Q(batch=batch) | Q(batch__isnull=True))
    return [
        {
            "id": s.pk,
            "title": s.title,
            "unit_id": s.unit_id,
            "form": s.form,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "batch": s.batch,
            "status": s.status,
            "outline_status": s.outline_status,
            "lecturers": [lec.name for lec in s.lecturers.all()],
            "main_venue": _venue(s.main_venue),
            "sub_venues": [_venue(v) for v in s.sub_venues.all()],
        }
        for s in sessions
    ]
