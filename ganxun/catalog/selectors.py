"""Every read of the catalogue, cut to what the actor may see (own subtree and what flows down).

List searches run a fixed number of queries whatever their length: rows come with their owner and
theme joined, and their M2M names prefetched in one query each. Names of lecturers and materials
ride along with the course that lists them (read unnarrowed: they are part of the course's
description); their own pages stay behind ``get_<thing>_for``.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Count, DecimalField, Prefetch, Q, QuerySet, Sum, When

from ganxun.catalog.models import (
    INTERACTIVE_FORMS,
    SITE_KINDS,
    Course,
    Lecturer,
    Material,
    SiteVisit,
    TeachingSite,
    Theme,
    TrainingBase,
)
from ganxun.core.fetch import get_or_404 as _get
from ganxun.orgs.models import Org
from ganxun.orgs.selectors import org_ancestors

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def lecturer_names() -> Prefetch:
    # scope: names shown as part of a row the actor sees (its own page stays in scope)
    names = Lecturer._base_manager.only("id", "name", "title", "owner_id")
    return Prefetch("lecturers", queryset=names)


def material_names() -> Prefetch:
    # scope: names shown as part of a row the actor sees (its own page stays in scope)
    names = Material._base_manager.only("id", "title", "kind", "owner_id")
    return Prefetch("materials", queryset=names)


def visible_ids(actor: "User", model, objs) -> set[int]:
    """Which of the listed objects the actor may open (one query), to link only those."""
    ids = {o.pk for o in objs}
    if not ids:
        return set()
    return set(model.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))


def owner_choices(actor) -> list[Org]:  # actor: User once scoping settles (issue 18)
    """Where resources can come from: the orgs above (shared down), the actor's own, and the
    units directly below."""
    root = actor.org
    below = Org.objects.visible_to(actor).filter(depth=root.depth + 1, is_active=True)
    return [*org_ancestors(root), root, *below.order_by("sort", "code")]


@dataclass
class Filters:
    q: str = ""
    owner: int | None = None
    theme: int | None = None
    form: str = ""
    status: str = ""
    kind: str = ""
    external: str = ""  # "1" external, "0" internal
    region: str = ""  # "in" / "out"


def _owned(qs: QuerySet, f: Filters) -> QuerySet:
    return qs.filter(owner_id=f.owner) if f.owner else qs


# --- themes and courses ----------------------------------------------------------------------


def themes_for(actor: "User") -> QuerySet[Theme]:
    return Theme.objects.visible_to(actor).select_related("owner")


def theme_choices(actor: "User") -> QuerySet[Theme]:
    return Theme.objects.visible_to(actor).only("id", "name", "color")


def theme_list(actor: "User") -> QuerySet[Theme]:
    return themes_for(actor).annotate(n_courses=Count("courses")).order_by("sort", "name", "id")


def get_theme_for(actor: "User", pk) -> Theme:
    return _get(themes_for(actor), pk)


def course_search(actor: "User", f: Filters) -> QuerySet[Course]:
    qs = _owned(Course.objects.visible_to(actor), f)
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(summary__contains=f.q))
    if f.theme:
        qs = qs.filter(theme_id=f.theme)
    if f.form:
        qs = qs.filter(form=f.form)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.select_related("owner", "theme").prefetch_related(lecturer_names())


def interactive_share(courses: QuerySet[Course]) -> dict:
    """Hours of interactive teaching over all hours, for the courses given (互动教学比重)."""
    totals = courses.order_by().aggregate(
        all=Sum("hours"),
        interactive=Sum(
            Case(
                When(form__in=INTERACTIVE_FORMS, then="hours"),
                default=Decimal(0),
                output_field=DecimalField(),
            )
        ),
    )
    hours = totals["all"] or Decimal(0)
    share = round(totals["interactive"] * 100 / hours) if hours else None
    return {"hours": hours, "interactive_hours": totals["interactive"] or 0, "percent": share}


def get_course_for(actor: "User", pk) -> Course:
    qs = Course.objects.visible_to(actor).select_related("owner", "theme")
    return _get(qs.prefetch_related(lecturer_names(), material_names(), "target_categories"), pk)


def course_bases(actor: "User", course: Course) -> QuerySet[TrainingBase]:
    return TrainingBase.objects.visible_to(actor).filter(courses=course).select_related("owner")


def course_choices(actor: "User") -> QuerySet[Course]:
    return (
        Course.objects.visible_to(actor).exclude(status=Course.Status.RETIRED).only("id", "title")
    )


# --- faculty ---------------------------------------------------------------------------------


def lecturer_search(actor: "User", f: Filters) -> QuerySet[Lecturer]:
    qs = _owned(Lecturer.objects.visible_to(actor), f)
    if f.q:
        qs = qs.filter(
            Q(name__contains=f.q) | Q(affiliation__contains=f.q) | Q(specialties__contains=f.q)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.external in ("0", "1"):
        qs = qs.filter(is_external=f.external == "1")
    if f.status in ("active", "inactive"):
        qs = qs.filter(is_active=f.status == "active")
    published = Count("courses", filter=Q(courses__status=Course.Status.PUBLISHED))
    # An aggregate drops Meta.ordering, and pages need a stable order.
    return qs.select_related("owner").annotate(n_courses=published).order_by("name", "id")


def get_lecturer_for(actor: "User", pk) -> Lecturer:
    return _get(Lecturer.objects.visible_to(actor).select_related("owner", "cadre__unit"), pk)


def lecturer_courses(actor: "User", lecturer: Lecturer) -> QuerySet[Course]:
    return (
        Course.objects.visible_to(actor)
        .filter(lecturers=lecturer)
        .select_related("theme", "owner")
        .order_by("status", "title")
    )


def lecturer_choices(actor: "User") -> QuerySet[Lecturer]:
    return (
        Lecturer.objects.visible_to(actor).filter(is_active=True).only("id", "name", "affiliation")
    )


# --- teaching points and bases ---------------------------------------------------------------


def site_search(actor: "User", f: Filters) -> QuerySet[TeachingSite]:
    qs = _owned(TeachingSite.objects.visible_to(actor), f)
    if f.q:
        qs = qs.filter(
            Q(name__contains=f.q) | Q(address__contains=f.q) | Q(highlights__contains=f.q)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return (
        qs.select_related("owner")
        .annotate(n_visits=Count("visits"), people=Sum("visits__headcount"))
        .order_by("kind", "name", "id")
    )


def site_kinds(actor: "User") -> list[str]:
    """The four standard kinds first, then the custom ones in use."""
    used = TeachingSite.objects.visible_to(actor).order_by().values_list("kind", flat=True)
    return SITE_KINDS + sorted(set(used) - set(SITE_KINDS))


def get_site_for(actor: "User", pk) -> TeachingSite:
    return _get(TeachingSite.objects.visible_to(actor).select_related("owner"), pk)


def site_visits(actor: "User", site: TeachingSite) -> QuerySet[SiteVisit]:
    return SiteVisit.objects.visible_to(actor).filter(site=site)


def get_visit_for(actor: "User", pk) -> SiteVisit:
    return _get(SiteVisit.objects.visible_to(actor).select_related("site__owner"), pk)


def base_search(actor: "User", f: Filters) -> QuerySet[TrainingBase]:
    qs = _owned(TrainingBase.objects.visible_to(actor), f)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(partner__contains=f.q) | Q(location__contains=f.q))
    if f.region in ("in", "out"):
        qs = qs.filter(in_region=f.region == "in")
    return (
        qs.select_related("owner")
        .annotate(n_courses=Count("courses"))
        .order_by("-in_region", "name", "id")
    )


def get_base_for(actor: "User", pk) -> TrainingBase:
    # scope: names shown as part of a row the actor sees (its own page stays in scope)
    courses = Prefetch("courses", queryset=Course._base_manager.select_related("theme"))
    qs = TrainingBase.objects.visible_to(actor).select_related("owner")
    return _get(qs.prefetch_related(courses), pk)


# --- materials -------------------------------------------------------------------------------


def material_search(actor: "User", f: Filters) -> QuerySet[Material]:
    qs = _owned(Material.objects.visible_to(actor), f)
    if f.q:
        isbn = f.q.replace("-", "").strip()
        qs = qs.filter(Q(title__contains=f.q) | Q(authors__contains=f.q) | Q(isbn=isbn.upper()))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.theme:
        qs = qs.filter(themes=f.theme)
    # scope: names shown as part of a row the actor sees (its own page stays in scope)
    themes = Prefetch("themes", queryset=Theme._base_manager.only("id", "name", "color"))
    return qs.select_related("owner").prefetch_related(themes)


def get_material_for(actor: "User", pk) -> Material:
    # scope: names shown as part of a row the actor sees (its own page stays in scope)
    themes = Prefetch("themes", queryset=Theme._base_manager.only("id", "name", "color"))
    qs = Material.objects.visible_to(actor).select_related("owner").prefetch_related(themes)
    return _get(qs, pk)


def material_courses(actor: "User", material: Material) -> QuerySet[Course]:
    return Course.objects.visible_to(actor).filter(materials=material).select_related("theme")


def material_choices(actor: "User") -> QuerySet[Material]:
    return Material.objects.visible_to(actor).only("id", "title", "kind")


def catalog_counts(actor: "User") -> dict:
    """The section page's figures: one count per resource."""
    published = Course.objects.visible_to(actor).filter(status=Course.Status.PUBLISHED)
    return {
        "courses": published.count(),
        "lecturers": Lecturer.objects.visible_to(actor).filter(is_active=True).count(),
        "sites": TeachingSite.objects.visible_to(actor).count(),
        "bases": TrainingBase.objects.visible_to(actor).count(),
        "materials": Material.objects.visible_to(actor).count(),
    }
