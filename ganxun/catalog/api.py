"""Read endpoints for courses and lecturers, scoped like the pages (own subtree + shared down)."""

from decimal import Decimal

from django.core.paginator import Paginator
from ninja import Router, Schema

from ganxun.catalog import policies, selectors
from ganxun.catalog.selectors import Filters
from ganxun.core.api import ErrorOut
from ganxun.core.errors import PermissionDenied

router = Router(tags=["课程与师资"])


class ThemeOut(Schema):
    id: int
    name: str
    color: str


class LecturerRef(Schema):
    id: int
    name: str


class CourseOut(Schema):
    id: int
    title: str
    owner: str
    theme: ThemeOut | None
    form: str
    form_label: str
    interactive: bool
    hours: Decimal
    status: str
    summary: str
    target_ranks: list[str]
    lecturers: list[LecturerRef]


class CoursePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CourseOut]


class LecturerOut(Schema):
    id: int
    name: str
    owner: str
    kind: str
    kind_label: str
    affiliation: str
    title: str
    specialties: list[str]
    is_external: bool
    is_active: bool
    published_courses: int


class LecturerPage(Schema):
    count: int
    page: int
    pages: int
    results: list[LecturerOut]


def _require_viewer(user) -> None:
    if not policies.can_view_catalog(user):
        raise PermissionDenied()


def _course_out(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "owner": c.owner.name,
        "theme": c.theme,
        "form": c.form,
        "form_label": str(c.get_form_display()),
        "interactive": c.is_interactive,
        "hours": c.hours,
        "status": c.status,
        "summary": c.summary,
        "target_ranks": list(c.target_ranks),
        "lecturers": [{"id": lec.pk, "name": lec.name} for lec in c.lecturers.all()],
    }


def _lecturer_out(lec, n_courses: int) -> dict:
    return {
        "id": lec.pk,
        "name": lec.name,
        "owner": lec.owner.name,
        "kind": lec.kind,
        "kind_label": str(lec.get_kind_display()),
        "affiliation": lec.affiliation,
        "title": lec.title,
        "specialties": lec.specialty_list,
        "is_external": lec.is_external,
        "is_active": lec.is_active,
        "published_courses": n_courses,
    }


def _page(qs, page: int, size: int):
    paginator = Paginator(qs, max(1, min(size, 200)))
    current = paginator.get_page(page)
    return paginator, current


@router.get("/catalog/courses", response=CoursePage, summary="课程查询")
def list_courses(
    request,
    q: str = "",
    theme: int | None = None,
    form: str = "",
    status: str = "",
    page: int = 1,
    size: int = 50,
):
    _require_viewer(request.auth)
    filters = Filters(q=q.strip(), theme=theme, form=form, status=status)
    paginator, current = _page(selectors.course_search(request.auth, filters), page, size)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_course_out(c) for c in current],
    }


@router.get(
    "/catalog/courses/{course_id}", response={200: CourseOut, 404: ErrorOut}, summary="课程详情"
)
def get_course(request, course_id: int):
    _require_viewer(request.auth)
    return _course_out(selectors.get_course_for(request.auth, course_id))


@router.get("/catalog/lecturers", response=LecturerPage, summary="师资查询")
def list_lecturers(
    request, q: str = "", kind: str = "", external: str = "", page: int = 1, size: int = 50
):
    _require_viewer(request.auth)
    filters = Filters(q=q.strip(), kind=kind, external=external)
    paginator, current = _page(selectors.lecturer_search(request.auth, filters), page, size)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_lecturer_out(lec, lec.n_courses) for lec in current],
    }


@router.get(
    "/catalog/lecturers/{lecturer_id}",
    response={200: LecturerOut, 404: ErrorOut},
    summary="师资详情",
)
def get_lecturer(request, lecturer_id: int):
    _require_viewer(request.auth)
    lecturer = selectors.get_lecturer_for(request.auth, lecturer_id)
    n = selectors.lecturer_courses(request.auth, lecturer).filter(status="published").count()
    return _lecturer_out(lecturer, n)
