"""Sessions (课次): when, what, who teaches, where, for which batch."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import TeachingForm
from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedManager
from ganxun.programs.models.programs import Program, ProgramUnit, Venue


class OutlineStatus(models.TextChoices):
    NONE = "none", _("未提交")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")


class Session(Timestamped):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已排课")
        CANCELLED = "cancelled", _("已取消")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(
        ProgramUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("单元"),
    )
    title = models.CharField(_("课题"), max_length=200)
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("课程"),
    )
    form = models.CharField(
        _("教学形式"), max_length=20, choices=TeachingForm.choices, default=TeachingForm.LECTURE
    )
    # 专题: taken from the chosen course when the session is scheduled, editable afterwards.
    theme = models.ForeignKey(
        "catalog.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("专题"),
    )
    lecturers = models.ManyToManyField(
        "catalog.Lecturer", blank=True, related_name="+", verbose_name=_("授课教师")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    main_venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主课堂"),
    )
    sub_venues = models.ManyToManyField(
        Venue, blank=True, related_name="+", verbose_name=_("视频分课堂")
    )
    batch = models.PositiveSmallIntegerField(
        _("参训批次"), null=True, blank=True, help_text=_("留空表示全体学员。")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    # 学时 credited for attending; blank = derived from the duration by the credit rules.
    credit_hours = models.DecimalField(
        _("学时"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # 自主选学: trainees pick the session themselves, up to its capacity, before the deadline.
    self_selectable = models.BooleanField(_("自主选学"), default=False)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    selection_deadline = models.DateTimeField(_("选课/退课截止"), null=True, blank=True)
    # Check-in rules (签到).
    allow_walk_in = models.BooleanField(_("允许未报名人员旁听签到"), default=False)
    requires_checkout = models.BooleanField(_("需要签退"), default=False)
    late_after_minutes = models.PositiveSmallIntegerField(_("迟到判定（开课后分钟）"), default=10)
    early_leave_minutes = models.PositiveSmallIntegerField(_("早退判定（下课前分钟）"), default=10)
    outline_status = models.CharField(
        _("提纲"), max_length=10, choices=OutlineStatus.choices, default=OutlineStatus.NONE
    )
    outline_due_at = models.DateTimeField(
        _("提纲截止（单独设定）"),
        null=True,
        blank=True,
        help_text=_("留空则按项目规定的课前天数。"),
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("课次")
        indexes = [
            models.Index(fields=["starts_at", "ends_at"]),
            models.Index(fields=["program", "starts_at"]),
            models.Index(fields=["outline_status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%m-%d} {self.title}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def batch_label(self) -> str:
        return _("第%(batch)s批") % {"batch": self.batch} if self.batch else str(_("全体"))

    @property
    def outline_overdue(self) -> bool:
        """No outline yet and its deadline has passed (shown as 已逾期)."""
        from django.utils import timezone

        return self.outline_status == OutlineStatus.NONE and timezone.now() > self.outline_due()

    def outline_due(self):
        """When the outline must be in: the session's own deadline, or N days before class."""
        from datetime import timedelta

        if self.outline_due_at:
            return self.outline_due_at
        return self.starts_at - timedelta(days=self.program.outline_days_before)
