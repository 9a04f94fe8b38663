"""Online courses (网络课程): lessons made of videos from the materials library, who takes them,
and what each learner really watched.

Progress is kept as the *union of watched intervals* per learner and lesson
(``LessonProgress.intervals``, milliseconds, merged), never as a counter a client could inflate;
each page that plays a lesson holds a ``PlaySession`` (one device at a time per learner), whose
cursor is the last report the server accepted. How reports become intervals: ``accounting.py``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import Material
from ganxun.catalog.models.sharing import SharedResource
from ganxun.core.scoping import ScopedChild
from ganxun.orgs.models import Cadre

SPEEDS = [
    (Decimal("1.00"), "1×"),
    (Decimal("1.25"), "1.25×"),
    (Decimal("1.50"), "1.5×"),
    (Decimal("2.00"), "2×"),
]


class OnlineCourse(SharedResource):
    """网络课程: shared down the tree like the rest of the catalogue (``SharedResource``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("课程名称"), max_length=200)
    summary = models.TextField(_("课程简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    completion_percent = models.PositiveSmallIntegerField(
        _("完成比例（百分比）"),
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("视频观看达到时长的该比例，课时即为完成。"),
    )
    max_speed = models.DecimalField(
        _("允许的最高倍速"), max_digits=3, decimal_places=2, choices=SPEEDS, default=Decimal("1")
    )
    forbid_seek_ahead = models.BooleanField(_("禁止拖动到未看过的位置"), default=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("网络课程")

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Lesson(ScopedChild):
    """One video of a course, from the materials library (an upload is added to it first)."""

    scope_parent = "course"

    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    title = models.CharField(_("课时名称"), max_length=200)
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="+", verbose_name=_("视频")
    )
    # From ffprobe when the lesson was added; the accounting never trusts a client's length.
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"))
    video_codec = models.CharField(max_length=20, blank=True)
    credit_hours = models.DecimalField(
        _("学时"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_("不填则按时长折算（与课次学时同一规则）。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("网络课时")

    def __str__(self):
        return self.title

    @property
    def duration_ms(self) -> int:
        return self.duration_seconds * 1000

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class Enrollment(ScopedChild):
    """A learner takes a course (选学). Visible with the cadre: the learner and the units above."""

    scope_parent = "cadre"

    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="enrollments")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = _("选课记录")
        constraints = [
            models.UniqueConstraint(fields=["course", "cadre"], name="uniq_learning_enrollment")
        ]

    def __str__(self):
        return f"{self.cadre_id}:{self.course_id}"


class LessonProgress(ScopedChild):
    """What one learner watched of one lesson, from every device together."""

    scope_parent = "cadre"

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    intervals = models.JSONField(default=list)  # [[start_ms, end_ms], …] merged, sorted
    watched_ms = models.PositiveIntegerField(default=0)
    furthest_ms = models.PositiveIntegerField(default=0)
    position_ms = models.PositiveIntegerField(default=0)  # where to resume, on any device
    completed_at = models.DateTimeField(null=True, blank=True)
    credited_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学习进度")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "lesson"], name="uniq_learning_progress")
        ]

    def __str__(self):
        return f"{self.cadre_id}:{self.lesson_id}"

    def percent(self, duration_ms: int) -> int:
        return min(100, self.watched_ms * 100 // duration_ms) if duration_ms else 0


class PlaySession(ScopedChild):
    """One page playing one lesson on one device. Only the newest of a learner's sessions is
    live: starting another (any lesson, any device) supersedes the rest."""

    scope_parent = "cadre"

    token = models.CharField(max_length=32, unique=True)
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    progress = models.ForeignKey(LessonProgress, on_delete=models.CASCADE, related_name="plays")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    # the cursor: the last report accepted (client sequence and clock, position, state)
    last_seq = models.IntegerField(default=0)
    last_client_ms = models.BigIntegerField(default=0)
    last_position_ms = models.PositiveIntegerField(default=0)
    last_state = models.CharField(max_length=10, default="paused")
    credited_ms = models.PositiveIntegerField(default=0)  # watched in this session, ≤ wall time
    # reports claiming more than real time (future, too fast, over the wall-time budget, clock
    # going back): evidence for the integrity report, never acted on automatically
    suspect_reports = models.PositiveIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("播放记录")
        indexes = [models.Index(fields=["cadre", "superseded_at"], name="learning_play_live")]

    def __str__(self):
        return self.token
