"""Learning tests (测评): a question bank, pre- and post-tests of a program, scored attempts.

Tests do not use the ``surveys`` engine: a bank question is reused by many tests and carries its
answer key, while a surveys question belongs to one questionnaire and has no notion of a correct
answer (see docs/ARCHITECTURE.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models.sharing import shared_scope_q
from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import MANAGING_ROLES, Program

TRUE_FALSE_OPTIONS = ["正确", "错误"]


class BankQuestion(models.Model):
    """A question of the bank (题库), kept by an org for a course or a program unit. ``options``
    is the list of option texts, ``correct`` the indexes of the right ones."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TRUE_FALSE = "truefalse", _("判断题")

    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("课程"),
    )
    unit = models.ForeignKey(
        "programs.ProgramUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单元"),
    )
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("题干"), max_length=500)
    options = models.JSONField(_("选项"), default=list)
    correct = models.JSONField(_("正确答案"), default=list)
    points = models.PositiveSmallIntegerField(_("分值"), default=1)
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("题库试题")

    def __str__(self):
        return self.text[:50]

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Managing staff see their subtree's bank and the banks above them (shared down)."""
        if not getattr(actor, "is_active", False) or not actor.has_role(*MANAGING_ROLES):
            return Q(pk__in=[])
        return shared_scope_q(actor, shared_up=False)

    def is_right(self, chosen) -> bool:
        """The one rule of a right answer: the chosen option set equals the key."""
        return sorted(chosen or []) == sorted(self.correct)

    @property
    def answer_letters(self) -> str:
        return "".join(chr(65 + i) for i in sorted(self.correct))


class Assessment(models.Model):
    """A pre- or post-test (前测/后测) of a program, or of one of its units."""

    class Kind(models.TextChoices):
        PRE = "pre", _("前测")
        POST = "post", _("后测")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(
        "programs.ProgramUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单元"),
    )
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    pass_mark = models.PositiveSmallIntegerField(
        _("及格线（百分制）"), default=60, help_text=_("0–100，得分率达到即为通过。")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    questions = models.ManyToManyField(BankQuestion, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    # Not columns: set by the selectors on the rows they list (counts, the reader's attempt).
    n_questions: int
    n_attempts: int
    n_passed: int
    my_attempt: "AssessmentAttempt | None"

    class Meta:
        ordering = ["program", "unit", "kind", "id"]
        verbose_name = _("测评")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AssessmentAttempt(models.Model):
    """A trainee's scored answers to a test: one per trainee and test, fixed once submitted.
    ``answers`` maps a bank question id (as text) to the chosen option indexes."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attempts")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    answers = models.JSONField(default=dict)
    score = models.PositiveIntegerField(_("得分"))
    max_score = models.PositiveIntegerField(_("满分"))
    percent = models.FloatField(_("得分率"))
    passed = models.BooleanField(_("通过"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("测评答卷")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "cadre"], name="uniq_assessment_attempt")
        ]

    def __str__(self):
        return f"{self.assessment} · {self.cadre_id}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES):
            q |= Q(assessment__in=Assessment.objects.visible_to(actor).values("pk"))
        if actor.cadre_id:
            q |= Q(cadre_id=actor.cadre_id)
        return q
