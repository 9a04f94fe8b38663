"""The one question engine: questionnaires, sections, questions, options, responses, answers.

Needs surveys use it now; class evaluations and tests will reuse it. Nothing here knows who
answers: a ``Response`` is anonymous to this app, and the app that invites people (``needs``)
links its own respondent row to it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedManager, subtree_q
from ganxun.orgs.models import Org
from ganxun.surveys.policies import can_build_questionnaires

RATING_SCALE = (1, 2, 3, 4, 5)
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 2000


def _owned_within(actor, prefix: str = "") -> Q:
    """Questionnaires (and what hangs off them) owned in the subtree of a builder."""
    return subtree_q(actor, f"{prefix}org", allowed=can_build_questionnaires(actor))


class Questionnaire(Timestamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    class Purpose(models.TextChoices):
        NEEDS = "needs", _("培训需求调研")
        EVALUATION = "evaluation", _("课堂评价")
        TEST = "test", _("测试")
        OTHER = "other", _("其他")

    org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    purpose = models.CharField(
        _("用途"), max_length=20, choices=Purpose.choices, default=Purpose.NEEDS
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("问卷")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor)

    @property
    def is_editable(self) -> bool:
        """The structure is fixed once answers may exist."""
        return self.status == self.Status.DRAFT

    def is_accepting(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and (self.closes_at is None or now < self.closes_at)

    @property
    def is_over(self) -> bool:
        return self.status == self.Status.CLOSED or (
            self.status == self.Status.OPEN
            and self.closes_at is not None
            and timezone.now() >= self.closes_at
        )


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("问卷分节")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "questionnaire__")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        RATING = "rating", _("评分（1–5）")
        RANKING = "ranking", _("排序")
        SHORT_TEXT = "short_text", _("简答")
        LONG_TEXT = "long_text", _("详述")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("题型"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=300)
    help_text = models.CharField(_("提示"), max_length=300, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    max_choices = models.PositiveSmallIntegerField(
        _("最多选/排几项"),
        null=True,
        blank=True,
        help_text=_("多选：最多可选几项；排序：排前几位。"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["section__position", "section_id", "position", "id"]
        verbose_name = _("题目")

    def __str__(self):
        return self.text

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "questionnaire__")

    @property
    def has_options(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS

    @property
    def is_tabulable(self) -> bool:
        """Choice, ranking (who placed an option among their top places) and rating questions
        can be cross-tabulated."""
        return self.kind in (
            self.Kind.SINGLE,
            self.Kind.MULTIPLE,
            self.Kind.RANKING,
            self.Kind.RATING,
        )

    @property
    def text_limit(self) -> int:
        return SHORT_TEXT_MAX if self.kind == self.Kind.SHORT_TEXT else LONG_TEXT_MAX


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("选项"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("选项")

    def __str__(self):
        return self.text

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "question__questionnaire__")


class Response(Timestamped):
    """One filled-in questionnaire: a draft until submitted, then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The key of the form post that submitted it: a retried post with the same key is the same
    # submission (answered with the same thanks page), any other post is a second use.
    submission_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["questionnaire", "status"])]
        verbose_name = _("答卷")

    def __str__(self):
        return f"{self.questionnaire} #{self.pk}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "questionnaire__")

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """The answer to one question. Choice answers also have ``AnswerChoice`` rows."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    number = models.SmallIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="uniq_answer")]
        verbose_name = _("回答")

    def __str__(self):
        return f"{self.question_id}: {self.text or self.number or ''}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "response__questionnaire__")


class AnswerChoice(models.Model):
    """A chosen option; ``rank`` is its place (1 = first) for ranking questions."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="choices")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "option"], name="uniq_answer_choice")
        ]
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self):
        return f"{self.response_id}: {self.option_id}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _owned_within(actor, "response__questionnaire__")
