"""Online courses for tests: tiny videos made by ffmpeg, courses, lessons, enrolled learners."""

import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.scoping import acting_as
from ganxun.learning import services
from ganxun.learning.accounting import Report
from ganxun.learning.models import Lesson, OnlineCourse, PlaySession
from tests.factories import CadreFactory, make_user

_cache: dict[tuple, bytes] = {}


def video_bytes(seconds: int = 4, kind: str = "webm") -> bytes:
    """A tiny test-pattern video (64×48, 10 fps) made by Debian's ffmpeg, cached per run."""
    key = (seconds, kind)
    if key not in _cache:
        codec = ["-c:v", "libvpx", "-b:v", "50k"] if kind == "webm" else ["-c:v", "libx264"]
        out = Path(f"/tmp/gx-learning-{seconds}s.{kind}")
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=64x48:rate=10",
                "-t",
                str(seconds),
                *codec,
                "-pix_fmt",
                "yuv420p",
                str(out),
            ],
            check=True,
            timeout=60,
        )
        _cache[key] = out.read_bytes()
    return _cache[key]


def video_upload(seconds: int = 4, name: str = "lesson.webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, video_bytes(seconds), content_type="video/webm")


def make_course(organizer, *, seconds: int = 60, hours=None, percent: int = 90, **rules):
    """A published course of one lesson of ``seconds`` seconds, built as an organizer would."""
    with acting_as(organizer):
        course = services.course_create(
            actor=organizer,
            data=services.CourseData(
                title="学习贯彻党的二十大精神", completion_percent=percent, **rules
            ),
        )
        lesson = services.lesson_upload(
            actor=organizer,
            course=course,
            upload=video_upload(4),
            title="第一讲",
            credit_hours=hours,
        )
        # the accounting reads the length from the lesson row: tests choose it
        Lesson._base_manager.filter(pk=lesson.pk).update(duration_seconds=seconds)
        OnlineCourse._base_manager.filter(pk=course.pk).update(status="published")
        course.refresh_from_db()
        lesson.refresh_from_db()
    return course, lesson


def make_learner(org, name="学员甲"):
    cadre = CadreFactory(unit=org, name=name)
    return make_user(org, Role.TRAINEE, cadre=cadre)


def enrolled(learner, course):
    with acting_as(learner):
        services.enroll(actor=learner, course=course)


def age(token: str, seconds: float) -> None:
    """Move a play session's start back in time: ``seconds`` of wall time have passed."""
    play = PlaySession._base_manager.get(token=token)
    PlaySession._base_manager.filter(pk=play.pk).update(
        started_at=play.started_at - timedelta(seconds=seconds)
    )


def playing(seq: int, t: float, pos: float, state: str = "playing", rate: float = 1.0) -> Report:
    """A report at ``t`` seconds of the page's clock, the video at ``pos`` seconds."""
    return Report(seq=seq, t_ms=int(t * 1000), pos_ms=int(pos * 1000), state=state, rate=rate)


HOUR = Decimal("1")
__all__ = ["HOUR", "age", "enrolled", "make_course", "make_learner", "playing", "timezone"]


def foreign_learning(city, other_admin) -> dict:
    """A course of 西山区 (a draft, so nobody elsewhere sees it) with one lesson, for the URL walk
    in tests/test_scoping_http.py. Rows made directly: no file is stored."""
    from ganxun.catalog.models import Material

    with acting_as(other_admin):
        course = OnlineCourse.objects.create(owner=city.county_b, title="西山区网络课程")
        video = Material.objects.create(owner=city.county_b, kind="video", title="西山区视频")
        lesson = Lesson.objects.create(
            course=course, title="西山区课时", material=video, duration_seconds=60
        )
    return {"learning/courses/": course.pk, "learning/lessons/": lesson.pk}
