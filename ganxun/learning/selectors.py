"""Every read of online learning, cut to what the actor may see."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from ganxun.core.fetch import get_or_404
from ganxun.credits.models import Channel, CreditEntry
from ganxun.learning import policies
from ganxun.learning.models import Enrollment, Lesson, LessonProgress, OnlineCourse

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def course_list(actor: "User") -> QuerySet[OnlineCourse]:
    """Published courses shared to the actor's place in the tree; managers also see the drafts
    of their own subtree."""
    qs = OnlineCourse.objects.visible_to(actor).select_related("owner")
    published = Q(status=OnlineCourse.Status.PUBLISHED)
    if policies.can_manage_courses(actor) and actor.org is not None:
        published |= Q(owner__path__startswith=actor.org.path)
    return qs.filter(published).annotate(n_lessons=Count("lessons"))


def get_course_for(actor: "User", pk) -> OnlineCourse:
    return get_or_404(course_list(actor), pk)


def get_lesson_for(actor: "User", pk) -> Lesson:
    """A lesson of a course the actor may open (published, or a draft they manage)."""
    lesson = get_or_404(
        Lesson.objects.visible_to(actor).select_related("course__owner", "material"), pk
    )
    get_course_for(actor, lesson.course_id)
    return lesson


def lessons_of(actor: "User", course: OnlineCourse) -> list[Lesson]:
    return list(Lesson.objects.visible_to(actor).filter(course=course).select_related("material"))


def my_enrollment(actor: "User", course: OnlineCourse) -> Enrollment | None:
    if not actor.cadre_id:
        return None
    return (
        Enrollment.objects.visible_to(actor).filter(course=course, cadre_id=actor.cadre_id).first()
    )


def my_progress(actor: "User", lessons: list[Lesson]) -> dict[int, LessonProgress]:
    if not actor.cadre_id:
        return {}
    rows = LessonProgress.objects.visible_to(actor).filter(
        cadre_id=actor.cadre_id, lesson__in=[lesson.pk for lesson in lessons]
    )
    return {p.lesson_id: p for p in rows}


def my_courses(actor: "User") -> list[Enrollment]:
    if not actor.cadre_id:
        return []
    return list(
        Enrollment.objects.visible_to(actor)
        .filter(cadre_id=actor.cadre_id)
        .select_related("course")
        .annotate(
            n_lessons=Count("course__lessons", distinct=True),
        )
    )


@dataclass(frozen=True)
class OnlineHours:
    year: int
    total: Decimal
    entries: list[CreditEntry]
    lessons_done: int
    lessons_started: int


def my_online_hours(actor: "User", year: int | None = None) -> OnlineHours:
    """The learner's 学时 on the online channel this year, read from the credit ledger (the one
    record of hours: imported platform hours and corrections count too)."""
    year = year or date.today().year
    if not actor.cadre_id:
        return OnlineHours(year, Decimal("0"), [], 0, 0)
    entries = CreditEntry.objects.visible_to(actor).filter(
        cadre_id=actor.cadre_id, channel=Channel.ONLINE, day__year=year
    )
    total = entries.aggregate(s=Sum("hours"))["s"] or Decimal("0")
    progress = LessonProgress.objects.visible_to(actor).filter(cadre_id=actor.cadre_id)
    counts = progress.aggregate(
        done=Count("pk", filter=Q(completed_at__isnull=False)), started=Count("pk")
    )
    return OnlineHours(
        year=year,
        total=total,
        entries=list(entries.order_by("-day", "-id")[:100]),
        lessons_done=counts["done"],
        lessons_started=counts["started"],
    )


@dataclass(frozen=True)
class UnitProgress:
    unit: str
    enrolled: int
    completed: int


def progress_by_unit(actor: "User", course: OnlineCourse) -> list[UnitProgress]:
    """Learners of the actor's subtree in this course, by unit: one GROUP BY."""
    rows = (
        Enrollment.objects.visible_to(actor)
        .filter(course=course)
        .values("cadre__unit__name")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("cadre__unit__name")
    )
    return [UnitProgress(r["cadre__unit__name"], r["n"], r["done"]) for r in rows]
