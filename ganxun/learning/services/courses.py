"""Online courses and their lessons; a learner's enrolment."""

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ganxun.catalog import files
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Material
from ganxun.catalog.services.materials import MaterialData, material_create
from ganxun.core import services as core_services
from ganxun.core.audit import snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import refetch
from ganxun.learning import media, policies
from ganxun.learning.errors import LearningError
from ganxun.learning.models import Enrollment, Lesson, OnlineCourse

if TYPE_CHECKING:
    from ganxun.accounts.models import User

COURSE_FIELDS = [
    "title",
    "summary",
    "status",
    "completion_percent",
    "max_speed",
    "forbid_seek_ahead",
    "owner",
]
LESSON_FIELDS = ["course", "position", "title", "material", "duration_seconds", "credit_hours"]


@dataclass
class CourseData:
    title: str
    summary: str = ""
    completion_percent: int = 90
    max_speed: Decimal = Decimal("1")
    forbid_seek_ahead: bool = True
    status: str = OnlineCourse.Status.DRAFT


def _text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=LearningError, **kwargs)


def _validate(data: CourseData) -> CourseData:
    data.title = _text(data.title, field="title", label=_("课程名称"), max_length=200)
    data.summary = _text(
        data.summary, field="summary", label=_("课程简介"), required=False, max_length=2000
    )
    if not 50 <= int(data.completion_percent) <= 100:
        raise LearningError(
            "invalid_percent", _("完成比例应为 50–100（百分比）。"), field="completion_percent"
        )
    speeds = {value for value, _label in OnlineCourse._meta.get_field("max_speed").choices or []}
    if Decimal(data.max_speed) not in speeds:
        raise LearningError("invalid_speed", _("请选择允许的倍速。"), field="max_speed")
    if data.status not in OnlineCourse.Status.values:
        raise LearningError("invalid_status", _("请选择课程状态。"), field="status")
    return data


def _require_editable(actor: "User", course: OnlineCourse) -> None:
    if not policies.can_manage_courses(actor):
        raise PermissionDenied()
    if not policies.can_edit_course(actor, course):
        raise LearningError(
            "not_owner",
            _("“%(course)s”由%(owner)s维护，您只能使用，不能修改。")
            % {"course": course.title, "owner": course.owner.name},
        )


@transaction.atomic
def course_create(*, actor: "User", data: CourseData) -> OnlineCourse:
    if not policies.can_manage_courses(actor):
        raise PermissionDenied()
    data = _validate(data)
    course = OnlineCourse(owner=actor.org)
    _fill(course, data)
    if course.is_published:
        raise LearningError("no_lessons", _("课程还没有课时，不能发布。"), field="status")
    course.save()
    core_services.record(actor, "create", course, {}, snapshot(course, COURSE_FIELDS))
    return course


@transaction.atomic
def course_update(*, actor: "User", course: OnlineCourse, data: CourseData) -> OnlineCourse:
    course = refetch(course, lock=True, related=("owner",))
    _require_editable(actor, course)
    data = _validate(data)
    before = snapshot(course, COURSE_FIELDS)
    _fill(course, data)
    if course.is_published and not Lesson.objects.visible_to(actor).filter(course=course).exists():
        raise LearningError("no_lessons", _("课程还没有课时，不能发布。"), field="status")
    course.save()
    core_services.record(actor, "update", course, before, snapshot(course, COURSE_FIELDS))
    return course


def _fill(course: OnlineCourse, data: CourseData) -> None:
    course.title = data.title
    course.summary = data.summary
    course.completion_percent = int(data.completion_percent)
    course.max_speed = Decimal(data.max_speed)
    course.forbid_seek_ahead = bool(data.forbid_seek_ahead)
    course.status = data.status


def _credit_hours(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except ArithmeticError as exc:
        raise LearningError("invalid_hours", _("学时应为数字。"), field="credit_hours") from exc
    if not Decimal("0") <= hours <= Decimal("20") or hours * 2 != int(hours * 2):
        raise LearningError(
            "invalid_hours", _("学时应在 0–20 之间，按 0.5 学时计。"), field="credit_hours"
        )
    return hours


def _new_lesson(
    actor: "User", course: OnlineCourse, material: Material, title: str, found: media.Probe, hours
) -> Lesson:
    last = Lesson.objects.visible_to(actor).filter(course=course).aggregate(n=Max("position"))["n"]
    lesson = Lesson.objects.create(
        course=course,
        position=(last or 0) + 1,
        title=_text(title or material.title, field="title", label=_("课时名称"), max_length=200),
        material=material,
        duration_seconds=found.duration_seconds,
        video_codec=found.codec,
        credit_hours=_credit_hours(hours),
    )
    core_services.record(actor, "create", lesson, {}, snapshot(lesson, LESSON_FIELDS))
    return lesson


@transaction.atomic
def lesson_add(
    *, actor: "User", course: OnlineCourse, material: Material, title: str = "", credit_hours=None
) -> Lesson:
    """A lesson from a video already in the materials library (visible to the actor). The
    stored file is probed again: the library's own duration may have been typed by hand."""
    course = refetch(course, lock=True, related=("owner",))
    _require_editable(actor, course)
    if not Material.objects.visible_to(actor).filter(pk=material.pk).exists():
        raise LearningError("not_visible", _("所选视频不在您可使用的范围内。"), field="material")
    if not material.is_video or not material.file:
        raise LearningError("not_a_video", _("请选择已上传文件的视频课程。"), field="material")
    found = media.probe(Path(default_storage.path(str(material.file.name))))
    return _new_lesson(actor, course, material, title, found, credit_hours)


@transaction.atomic
def lesson_upload(
    *, actor: "User", course: OnlineCourse, upload, title: str, credit_hours=None
) -> Lesson:
    """A new video: checked by its bytes, probed by ffprobe before a byte is kept, then added to
    the materials library (so other courses and programmes can use it) and to the course."""
    course = refetch(course, lock=True, related=("owner",))
    _require_editable(actor, course)
    try:
        files.check_upload(upload, want_video=True)
    except CatalogError as exc:
        raise LearningError(exc.code, exc.message, field="file") from exc
    found = _probe_upload(upload)
    title = _text(title, field="title", label=_("课时名称"), max_length=200)
    data = MaterialData(
        kind=Material.Kind.VIDEO, title=title, duration_seconds=found.duration_seconds
    )
    try:
        material = material_create(actor=actor, data=data, upload=upload)
    except CatalogError as exc:
        raise LearningError(exc.code, exc.message, field="file") from exc
    material.duration_seconds = found.duration_seconds
    material.save(update_fields=["duration_seconds"])
    return _new_lesson(actor, course, material, title, found, credit_hours)


def _probe_upload(upload) -> media.Probe:
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        return media.probe(Path(path()))
    with tempfile.NamedTemporaryFile(suffix=".video") as tmp:
        upload.seek(0)
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        upload.seek(0)
        return media.probe(Path(tmp.name))


@transaction.atomic
def enroll(*, actor: "User", course: OnlineCourse) -> Enrollment:
    """The learner takes a published course visible to them (自主选学); enrolling twice is the
    same enrolment."""
    cadre_id = actor.cadre_id
    if not policies.can_learn(actor) or cadre_id is None:
        raise LearningError("no_cadre", _("您的账号未关联干部信息，不能选课。"))
    if not course.is_published:
        raise LearningError("not_published", _("该课程尚未发布。"))
    existing = Enrollment.objects.visible_to(actor).filter(course=course, cadre_id=cadre_id)
    found = existing.first()
    if found:
        return found
    try:
        with transaction.atomic():
            row = Enrollment.objects.create(course=course, cadre_id=cadre_id)
    except IntegrityError:
        return existing.get()
    core_services.record(actor, "create", row, {}, {"course": course.title})
    return row
