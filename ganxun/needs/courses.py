"""Needs → courses (缺什么补什么): which catalogue courses may answer each confirmed need.

Suggestions come from character n-gram TF-IDF cosine similarity between the need (its label and
typical statements) and each course (title and summary); a person confirms or rejects each.
Needs without a confirmed course are the gaps the next course call should fill.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from sklearn.feature_extraction.text import TfidfVectorizer

from ganxun.catalog.models import Course
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.needs.errors import NeedsError
from ganxun.needs.models import CommonNeed, NeedCourse
from ganxun.needs.policies import manages_survey

TOP = 5
MIN_SCORE = 0.08


def rank_courses(
    need_text: str, courses: list[tuple[int, str]], top: int = TOP
) -> list[tuple[int, float]]:
    """(course id, similarity) of the closest courses, best first, above ``MIN_SCORE``."""
    if not courses or not need_text.strip():
        return []
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform([need_text] + [text for _pk, text in courses])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = sorted(zip((pk for pk, _t in courses), scores, strict=True), key=lambda kv: -kv[1])
    return [(pk, round(float(score), 3)) for pk, score in ranked[:top] if score >= MIN_SCORE]


def need_text(need: CommonNeed) -> str:
    return " ".join([need.label, need.label, *need.examples])


def candidate_courses(actor) -> list[tuple[int, str]]:
    return [
        (pk, f"{title} {title} {summary}")
        for pk, title, summary in Course.objects.visible_to(actor)
        .exclude(status=Course.Status.RETIRED)
        .values_list("pk", "title", "summary")
    ]


def search_courses(actor, q: str, limit: int = 20) -> list[Course]:
    """Courses picked by hand: title contains the words typed."""
    return list(
        Course.objects.visible_to(actor)
        .exclude(status=Course.Status.RETIRED)
        .filter(title__contains=q)
        .order_by("title")[:limit]
    )


def _require_manager(actor, need: CommonNeed) -> None:
    if not manages_survey(actor, need.survey):
        raise PermissionDenied()


@transaction.atomic
def need_courses_suggest(*, actor, needs: list[CommonNeed]) -> int:
    """Fresh suggestions for the needs; courses a person already confirmed or rejected stay so."""
    courses = candidate_courses(actor)
    created = 0
    for need in needs:
        _require_manager(actor, need)
        links = children_of(need, NeedCourse, "need")
        links.filter(status=NeedCourse.Status.SUGGESTED).delete()
        decided = set(links.values_list("course_id", flat=True))
        rows = [
            NeedCourse(need=need, course_id=pk, score=score)
            for pk, score in rank_courses(need_text(need), courses)
            if pk not in decided
        ]
        NeedCourse.objects.bulk_create(rows)
        created += len(rows)
    return created


@transaction.atomic
def need_course_decide(*, actor, need: CommonNeed, course_id: int, status: str) -> NeedCourse:
    """Confirm or reject a suggested course, or link a course picked by hand."""
    _require_manager(actor, need)
    if status not in (NeedCourse.Status.CONFIRMED, NeedCourse.Status.REJECTED):
        raise NeedsError("bad_status", _("操作无效。"))
    course = Course.objects.visible_to(actor).filter(pk=course_id).first()
    if course is None:
        raise NeedsError("no_course", _("课程不存在或不在您的可见范围内。"), field="course")
    link, _created = children_of(need, NeedCourse, "need").get_or_create(need=need, course=course)
    before = link.status
    link.status, link.decided_by, link.decided_at = status, actor, timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=need,
        changes={"course": [None, course.title], "status": [before, status]},
    )
    return link
