"""Writes to themes and courses. One transaction each, audited."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer, Material, TeachingForm, Theme
from ganxun.catalog.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_editable,
    require_editor,
    require_visible,
    set_links,
)
from ganxun.core.scoping import children_of
from ganxun.orgs.models import Cadre, CadreCategory

if TYPE_CHECKING:
    from ganxun.accounts.models import User

THEME_FIELDS = ["name", "color", "sort", "description", "owner"]
COURSE_FIELDS = ["title", "theme", "form", "hours", "summary", "target_ranks", "status", "owner"]
COURSE_LINKS = ("lecturers", "materials", "target_categories")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_HOURS = Decimal("200")


# --- themes ----------------------------------------------------------------------------------


@transaction.atomic
def theme_save(
    *,
    actor: "User",
    theme: Theme | None,
    name: str,
    color: str,
    sort: int = 0,
    description: str = "",
) -> Theme:
    """Create (theme=None) or change a theme of the actor's org."""
    require_editor(actor)
    if theme is not None:
        require_editable(actor, theme)
    owner = theme.owner if theme else actor.org
    name = clean_text(name, field="name", label=_("专题名称"), max_length=50)
    if not COLOR.match(color or ""):
        raise CatalogError("invalid_color", _("颜色须为 #RRGGBB 形式。"), field="color")
    clash = Theme.objects.visible_to(actor).filter(owner=owner, name=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise CatalogError(
            "duplicate_theme", _("已有名为“%(name)s”的专题。") % {"name": name}, field="name"
        )
    before = full_snapshot(theme, THEME_FIELDS) if theme else {}
    theme = theme or Theme(owner=owner)
    theme.name, theme.color, theme.sort = name, color.lower(), sort or 0
    theme.description = clean_text(
        description, field="description", label=_("说明"), required=False
    )
    theme.save()
    after = full_snapshot(theme, THEME_FIELDS)
    record(actor, "update" if before else "create", theme, before, after)
    return theme


@transaction.atomic
def theme_delete(*, actor: "User", theme: Theme) -> None:
    require_editor(actor)
    require_editable(actor, theme)
    used = children_of(theme, Course, "theme").count()  # every course, seen or not
    if used:
        raise CatalogError(
            "theme_in_use",
            _("有 %(used)s 门课程属于专题“%(theme)s”，请先为它们改选专题。")
            % {"used": used, "theme": theme.name},
        )
    record(actor, "delete", theme, full_snapshot(theme, THEME_FIELDS), {})
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    Theme._base_manager.filter(pk=theme.pk).delete()


# --- courses ---------------------------------------------------------------------------------


@dataclass
class CourseData:
    """What a form, the API or an import row supplies for one course."""

    title: str
    form: str = TeachingForm.LECTURE
    hours: Decimal | str | float = Decimal("3")
    theme: Theme | None = None
    summary: str = ""
    target_ranks: list[str] = field(default_factory=list)
    target_categories: list[CadreCategory] = field(default_factory=list)
    lecturers: list[Lecturer] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    status: str = Course.Status.DRAFT


def clean_hours(raw) -> Decimal:
    try:
        hours = Decimal(str(raw).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise CatalogError(
            "invalid_hours", _("学时“%(raw)s”不是数字。") % {"raw": raw}, field="hours"
        ) from None
    if hours <= 0 or hours > MAX_HOURS:
        raise CatalogError("invalid_hours", _("学时须大于 0 且不超过 200。"), field="hours")
    return hours


def course_validate(actor: "User", data: CourseData) -> CourseData:
    """Normalise and check one course; raise CatalogError naming the field."""
    data.title = clean_text(data.title, field="title", label=_("课程名称"), max_length=200)
    if data.form not in TeachingForm.values:
        raise CatalogError("invalid_form", _("请选择教学形式。"), field="form")
    data.hours = clean_hours(data.hours)
    if data.status not in Course.Status.values:
        raise CatalogError("invalid_status", _("请选择课程状态。"), field="status")
    unknown = [r for r in data.target_ranks if r not in Cadre.Rank.values]
    if unknown:
        raise CatalogError("invalid_rank", _("面向职级中有无法识别的值。"), field="target_ranks")
    require_visible(actor, Theme, [data.theme], field="theme", label=_("专题"))
    require_visible(actor, Lecturer, data.lecturers, field="lecturers", label=_("主讲人"))
    require_visible(actor, Material, data.materials, field="materials", label=_("教材资料"))
    return data


def _check_title_free(actor: "User", owner, title: str, exclude_pk: int | None = None) -> None:
    clash = Course.objects.visible_to(actor).filter(owner=owner, title=title)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise CatalogError(
            "duplicate_course",
            _("%(owner)s的课程库中已有课程“%(title)s”。") % {"owner": owner.name, "title": title},
            field="title",
        )


def _apply(course: Course, data: CourseData) -> None:
    course.title, course.theme, course.form = data.title, data.theme, data.form
    course.hours, course.summary, course.status = data.hours, data.summary.strip(), data.status
    course.target_ranks = [r for r in Cadre.Rank.values if r in data.target_ranks]
    course.save()
    set_links(course, "lecturers", data.lecturers)
    set_links(course, "materials", data.materials)
    set_links(course, "target_categories", data.target_categories)


@transaction.atomic
def course_create(*, actor: "User", data: CourseData) -> Course:
    require_editor(actor)
    data = course_validate(actor, data)
    _check_title_free(actor, actor.org, data.title)
    course = Course(owner=actor.org)
    _apply(course, data)
    record(actor, "create", course, {}, full_snapshot(course, COURSE_FIELDS, COURSE_LINKS))
    return course


@transaction.atomic
def course_update(*, actor: "User", course: Course, data: CourseData) -> Course:
    require_editor(actor)
    require_editable(actor, course)
    data = course_validate(actor, data)
    _check_title_free(actor, course.owner, data.title, exclude_pk=course.pk)
    before = full_snapshot(course, COURSE_FIELDS, COURSE_LINKS)
    _apply(course, data)
    record(actor, "update", course, before, full_snapshot(course, COURSE_FIELDS, COURSE_LINKS))
    return course


@transaction.atomic
def course_set_status(*, actor: "User", course: Course, status: str) -> Course:
    """Publish (发布) or retire (停用) a course without opening the form."""
    require_editor(actor)
    require_editable(actor, course)
    if status not in Course.Status.values:
        raise CatalogError("invalid_status", _("无效的课程状态。"), field="status")
    before = full_snapshot(course, ["status"])
    course.status = status
    course.save(update_fields=["status", "updated_at"])
    record(actor, "update", course, before, full_snapshot(course, ["status"]))
    return course
