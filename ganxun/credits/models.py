"""The credit-hour ledger (学时台账), its rules, external learning records and requirements.

The ledger is append-only: an entry is never changed or removed; a correction is a reversing
entry (negative hours, ``reverses`` the original, with a reason). The database refuses UPDATE and
DELETE (see migrations/0002). Each automatic entry carries a ``ref_key`` unique per cadre, so a
re-sent signal, a retried job or a recompute writes nothing twice.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.models import AppendOnlyError, AppendOnlyQuerySet
from ganxun.core.scoping import BaseScopedManager, ScopedChild, ScopedQuerySet
from ganxun.orgs.models import Cadre


class Channel(models.IntegerChoices):
    """培训渠道 — stored as a small integer: the ledger has tens of millions of rows."""

    CENTRAL = 1, _("集中培训")
    ONLINE = 2, _("网络培训")
    REMOTE = 3, _("远程/空中课堂")
    OUT_OF_REGION = 4, _("域外培训")
    PIGGYBACK = 5, _("搭车培训")
    SELF_SELECTED = 6, _("自主选学")
    TEACHING = 7, _("授课")
    READING = 8, _("读书研讨")
    PRACTICE = 9, _("实践锻炼")
    OTHER = 10, _("其他")


class LedgerQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    """Append-only (update/delete raise) and fail-closed scoped (visible_to or unscoped)."""


class CreditEntry(models.Model):
    """One line of a cadre's 培训档案. Never updated, never deleted."""

    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        related_name="credit_entries",
        verbose_name=_("干部"),
        db_index=False,  # the (cadre, day, …) index serves every lookup by cadre
    )
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    channel = models.PositiveSmallIntegerField(_("渠道"), choices=Channel.choices)
    title = models.CharField(_("内容"), max_length=200)
    # What the entry stands for: "session:12", "teach:12", "program:3", "ext:45", "manual:…".
    source = models.CharField(_("来源"), max_length=40)
    # Unique per cadre: "<source>/<version>" for a credit, "<that key>/r" for its reversal.
    ref_key = models.CharField(max_length=60)
    # References kept without a database constraint: the ledger must outlive a deleted session,
    # and ON DELETE SET NULL would be an UPDATE the ledger refuses.
    session = models.ForeignKey(
        "programs.Session",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲销的记录"),
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = BaseScopedManager.from_queryset(LedgerQuerySet)()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("学时记录")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "ref_key"], name="uniq_credit_ref"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="credit_reversal_has_reason",
            ),
        ]
        # Covering: compliance sums hours by channel per cadre and period from this index alone.
        indexes = [
            models.Index(fields=["cadre", "day", "channel", "hours"], name="credit_cadre_day")
        ]

    def __str__(self):
        return f"{self.day} {self.title} {self.hours}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("CreditEntry rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("CreditEntry rows are append-only")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(cadre__in=Cadre.objects.visible_to(actor).values("pk"))


class ExternalRecord(ScopedChild):
    """A completed course on an online-learning platform (干部网络学院), as exported by it.
    (platform, record_id) is unique: importing the same export twice adds nothing."""

    scope_parent = "cadre"  # visible exactly when its parent is

    platform = models.CharField(_("平台"), max_length=50)
    record_id = models.CharField(_("记录号"), max_length=64)
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="+", verbose_name=_("干部")
    )
    course = models.CharField(_("课程"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("完成日期"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    import_job = models.CharField(max_length=36, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网络学习记录")
        constraints = [
            models.UniqueConstraint(fields=["platform", "record_id"], name="uniq_external_record")
        ]

    def __str__(self):
        return f"{self.platform} {self.record_id}"


class Requirement(models.Model):
    """A training-time requirement (学时要求) for some ranks over a year or five rolling years.
    Only the listed channels count (all when empty); a cap limits a channel to a share of the
    requirement (e.g. online hours count up to 30 %)."""

    class Period(models.TextChoices):
        YEAR = "year", _("每年")
        FIVE_YEARS = "five_years", _("每5年（滚动）")

    class Unit(models.TextChoices):
        HOURS = "hours", _("学时")
        DAYS = "days", _("天")

    # The owner: its administrators change it, and it applies to cadres of its subtree. Empty =
    # the city's (root's). A county adds its own on top of the city's, so it can only tighten.
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("制定单位"),
    )
    name = models.CharField(_("名称"), max_length=100)
    ranks = models.JSONField(_("适用职级"), default=list)
    period = models.CharField(_("周期"), max_length=12, choices=Period.choices)
    amount = models.DecimalField(
        _("要求数量"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    unit = models.CharField(_("单位"), max_length=6, choices=Unit.choices, default=Unit.HOURS)
    channels = models.JSONField(_("计入的渠道"), default=list, blank=True)
    caps = models.JSONField(_("渠道上限（占要求的比例）"), default=dict, blank=True)
    source = models.CharField(_("依据"), max_length=300)
    source_url = models.URLField(_("依据链接"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("学时要求")

    def __str__(self):
        return self.name


class CreditSettings(models.Model):
    """The one row of crediting rules (pk=1), edited by administrators."""

    class LateRule(models.TextChoices):
        DEDUCT = "deduct", _("按缺课时间扣减")
        FULL = "full", _("不扣减")
        FORFEIT = "forfeit", _("缺课超过阈值不计学时")

    minutes_per_hour = models.PositiveSmallIntegerField(
        _("1 学时的分钟数"),
        default=45,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
        help_text=_("课次未填学时时，按时长折算。"),
    )
    hours_per_day = models.DecimalField(
        _("1 天折合学时"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("7.5"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("24"))],
        help_text=_(
            "条例中“12天或者90学时”折算为每天 7.5 学时；各地可调整（如南京按 6 学时/天）。"
        ),
    )
    late_rule = models.CharField(
        _("迟到/早退"), max_length=10, choices=LateRule.choices, default=LateRule.DEDUCT
    )
    forfeit_after_minutes = models.PositiveSmallIntegerField(
        _("缺课阈值（分钟）"),
        default=30,
        help_text=_("“缺课超过阈值不计学时”时使用：迟到加早退超过该分钟数，本次不计学时。"),
    )
    teaching_factor = models.DecimalField(
        _("授课学时系数"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        help_text=_("授课者按课次学时乘以该系数计学时（南京按 5 倍计）。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学时计算规则")

    def __str__(self):
        return str(_("学时计算规则"))

    @classmethod
    def current(cls) -> "CreditSettings":
        row = cls.objects.filter(pk=1).first()
        return row or cls(pk=1)


class ProgramCreditRule(ScopedChild):
    """A bonus credited to each graduate of the program (结业奖励学时), set by its organizer."""

    scope_parent = "program"  # visible exactly when its parent is

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="credit_rule"
    )
    bonus_hours = models.DecimalField(
        _("结业奖励学时"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("项目学时规则")

    def __str__(self):
        return f"{self.program} +{self.bonus_hours}"
