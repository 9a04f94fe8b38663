"""Playing a lesson: a play session per page (one device at a time), progress reports turned
into watched intervals (``accounting``), completion and its 学时 — written to the credit ledger
once per completed lesson, never per report.

Reports are not audited (a hundred a minute per learner; the rows say who watched what and
when, as check-in scans do). Completing a lesson is: one audit entry, one ledger entry.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record
from ganxun.core.errors import NotFound
from ganxun.credits import ledger
from ganxun.credits.models import Channel
from ganxun.learning import accounting, policies
from ganxun.learning.errors import LearningError
from ganxun.learning.hours import lesson_hours
from ganxun.learning.models import Enrollment, Lesson, LessonProgress, PlaySession

if TYPE_CHECKING:
    from ganxun.accounts.models import User

SUSPECT = {"future", "out_of_order", "too_fast", "capped"}
MAX_REPORTS = 120  # one post: two minutes of 1-second reports, ten of 5-second ones
RESUME_NEAR_END_MS = 3000


@dataclass(frozen=True)
class PlayStart:
    token: str
    position_ms: int
    furthest_ms: int
    watched_ms: int
    duration_ms: int
    max_speed: float
    forbid_seek_ahead: bool
    completed: bool


@dataclass
class ReportOutcome:
    results: list[dict] = field(default_factory=list)
    position_ms: int = 0
    furthest_ms: int = 0
    watched_ms: int = 0
    percent: int = 0
    completed: bool = False
    newly_completed: bool = False
    hours: Decimal | None = None
    resume_at: int | None = None
    superseded: bool = False


def _learner(actor: "User") -> int:
    """The acting learner's cadre id; refused when the account has none."""
    if not policies.can_learn(actor) or actor.cadre_id is None:
        raise LearningError("no_cadre", _("您的账号未关联干部信息，不能学习计学时。"))
    return actor.cadre_id


def _progress_for(actor: "User", cadre_id: int, lesson: Lesson) -> LessonProgress:
    mine = LessonProgress.objects.visible_to(actor).filter(cadre_id=cadre_id, lesson=lesson)
    found = mine.first()
    if found:
        return found
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(cadre_id=cadre_id, lesson=lesson)
    except IntegrityError:  # the learner's other tab created it a moment ago
        return mine.get()


@transaction.atomic
def play_start(
    *, actor: "User", lesson: Lesson, ip: str | None = None, user_agent: str = ""
) -> PlayStart:
    """Open a play session for a lesson of a course the learner is enrolled in; the learner's
    other sessions (any lesson, any device) stop counting from now on."""
    cadre_id = _learner(actor)
    course = lesson.course
    enrolled = Enrollment.objects.visible_to(actor).filter(course=course, cadre_id=cadre_id)
    if not course.is_published or not enrolled.exists():
        raise LearningError("not_enrolled", _("您尚未选学该课程，请先选课。"))
    progress = _progress_for(actor, cadre_id, lesson)
    now = timezone.now()
    # scope: only the acting learner's own play sessions (their cadre), being superseded
    PlaySession._base_manager.filter(cadre_id=cadre_id, superseded_at__isnull=True).update(
        superseded_at=now
    )
    play = PlaySession.objects.create(
        token=secrets.token_hex(16),
        cadre_id=cadre_id,
        progress=progress,
        user=actor,
        started_at=now,
        last_seen_at=now,
        last_position_ms=progress.position_ms,
        ip=ip or None,
        user_agent=user_agent[:200],
    )
    position = progress.position_ms
    if position >= lesson.duration_ms - RESUME_NEAR_END_MS:
        position = 0  # watched to the end: start again from the beginning
    play.last_position_ms = position
    play.save(update_fields=["last_position_ms"])
    return PlayStart(
        token=play.token,
        position_ms=position,
        furthest_ms=progress.furthest_ms,
        watched_ms=progress.watched_ms,
        duration_ms=lesson.duration_ms,
        max_speed=float(course.max_speed),
        forbid_seek_ahead=course.forbid_seek_ahead,
        completed=progress.completed_at is not None,
    )


def _locked_play(cadre_id: int, token: str) -> PlaySession:
    if not isinstance(token, str) or not 16 <= len(token) <= 32:
        raise NotFound()
    play = (
        # scope: a play session is reached by its secret token, and only by its own learner
        PlaySession._base_manager.select_for_update(of=("self", "progress"))
        .select_related("progress__lesson__course")
        .filter(token=token, cadre_id=cadre_id)
        .first()
    )
    if play is None:
        raise NotFound()
    return play


@transaction.atomic
def progress_report(
    *, actor: "User", token: str, reports: list[accounting.Report]
) -> ReportOutcome:
    """Apply a batch of reports (buffered by the player while offline, oldest first)."""
    cadre_id = _learner(actor)
    if len(reports) > MAX_REPORTS:
        raise LearningError(
            "too_many_reports",
            _("一次最多提交 %(n)s 条进度。") % {"n": MAX_REPORTS},
        )
    play = _locked_play(cadre_id, token)
    progress = play.progress
    lesson = progress.lesson
    course = lesson.course
    out = ReportOutcome()
    if play.superseded_at is not None:
        out.superseded = True
        out.results = [{"seq": r.seq, "ok": False, "reason": "superseded"} for r in reports]
        return _summary(out, progress, lesson)
    now = timezone.now()
    rules = accounting.Rules(
        duration_ms=lesson.duration_ms,
        max_speed=float(course.max_speed),
        forbid_seek_ahead=course.forbid_seek_ahead,
    )
    elapsed_ms = int((now - play.started_at).total_seconds() * 1000)
    cursor = accounting.Cursor(
        play.last_seq, play.last_client_ms, play.last_position_ms, play.last_state, play.credited_ms
    )
    intervals = [list(i) for i in progress.intervals]
    furthest = progress.furthest_ms
    for report in reports:
        step = accounting.step(cursor, report, rules, elapsed_ms=elapsed_ms, furthest_ms=furthest)
        if step.segment:
            intervals = accounting.add_interval(intervals, *step.segment)
            furthest = max(furthest, step.segment[1])
        if step.reason == "seek_forbidden":
            out.resume_at = step.cursor.pos_ms
        cursor = step.cursor
        if step.reason in SUSPECT or SUSPECT.intersection(step.notes):
            play.suspect_reports += 1
        out.results.append({"seq": report.seq, "ok": step.accepted, "reason": step.reason})
    play.last_seq, play.last_client_ms = cursor.seq, cursor.t_ms
    play.last_position_ms, play.last_state = cursor.pos_ms, cursor.state
    play.credited_ms, play.last_seen_at = cursor.credited_ms, now
    play.save(
        update_fields=[
            "last_seq",
            "last_client_ms",
            "last_position_ms",
            "last_state",
            "credited_ms",
            "last_seen_at",
            "suspect_reports",
        ]
    )
    progress.intervals = intervals
    progress.watched_ms = accounting.covered(intervals)
    progress.furthest_ms = furthest
    progress.position_ms = cursor.pos_ms
    fields = ["intervals", "watched_ms", "furthest_ms", "position_ms", "updated_at"]
    if progress.completed_at is None and _done(progress, lesson, course.completion_percent):
        _complete(actor, progress, lesson, now)
        out.newly_completed = True
        fields += ["completed_at", "credited_hours"]
    progress.save(update_fields=fields)
    if out.newly_completed:
        _course_complete(progress.cadre_id, lesson, now)
    return _summary(out, progress, lesson)


def _done(progress: LessonProgress, lesson: Lesson, percent: int) -> bool:
    return progress.watched_ms * 100 >= lesson.duration_ms * percent


def _complete(actor: "User", progress: LessonProgress, lesson: Lesson, now) -> None:
    """The lesson is done: its 学时 enter the ledger on the online channel, exactly once — the
    reference key ``lesson:<id>/1`` is unique per cadre, and the insert skips a key written."""
    hours = lesson_hours(lesson)
    progress.completed_at = now
    progress.credited_hours = hours
    if hours > 0:
        want = ledger.Desired(
            cadre_id=progress.cadre_id,
            source=f"lesson:{lesson.pk}",
            hours=hours,
            day=ledger.local_day(now),
            channel=Channel.ONLINE,
            title=f"{lesson.course.title}·{lesson.title}",
        )
        ledger.write([ledger.first_version(want)])
    audit_record(
        actor=actor,
        action="complete",
        obj=progress,
        changes={"lesson": lesson.title, "hours": str(hours), "watched_ms": progress.watched_ms},
    )


def _course_complete(cadre_id: int, lesson: Lesson, now) -> None:
    course = lesson.course
    # scope: the learner's own lessons and enrolment of the course just completed a lesson of
    total = Lesson._base_manager.filter(course=course).count()
    # scope: as above, the same learner's rows
    done = LessonProgress._base_manager.filter(
        cadre_id=cadre_id, lesson__course=course, completed_at__isnull=False
    ).count()
    if done >= total:
        # scope: the learner's own enrolment in this course
        Enrollment._base_manager.filter(
            course=course, cadre_id=cadre_id, completed_at__isnull=True
        ).update(completed_at=now)


def _summary(out: ReportOutcome, progress: LessonProgress, lesson: Lesson) -> ReportOutcome:
    out.position_ms = progress.position_ms
    out.furthest_ms = progress.furthest_ms
    out.watched_ms = progress.watched_ms
    out.percent = progress.percent(lesson.duration_ms)
    out.completed = progress.completed_at is not None
    out.hours = progress.credited_hours
    return out
