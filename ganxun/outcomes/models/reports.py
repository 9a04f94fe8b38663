"""Outcome reports (学用成果): what a trainee or a unit made of the training, reviewed by the
organizer and, once accepted, publishable to the program's showcase."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedChild, ScopedManager, subtree_q
from ganxun.outcomes.models.common import managed_programs_q


class Outcome(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", _("决策/政策文件")
        PROJECT = "project", _("项目")
        MECHANISM = "mechanism", _("机制/制度创新")
        CASE = "case", _("典型案例")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        ACCEPTED = "accepted", _("已采纳")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("培训项目")
    )
    unit = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    cadres = models.ManyToManyField(
        "orgs.Cadre", blank=True, related_name="+", verbose_name=_("相关学员")
    )
    title = models.CharField(_("成果名称"), max_length=200)
    kind = models.CharField(_("成果类型"), max_length=12, choices=Kind.choices)
    change = models.TextField(_("带来的变化"))
    effect_value = models.DecimalField(
        _("成效数值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    effect_unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    effect_note = models.CharField(_("成效说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("展示时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    revision = models.PositiveSmallIntegerField(_("修改次数"), default=0)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("学用成果")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="accepted"),
                name="outcome_published_only_if_accepted",
            ),
            models.CheckConstraint(
                condition=Q(effect_value__isnull=True) | ~Q(effect_unit=""),
                name="outcome_effect_has_unit",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def can_revise(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.RETURNED)

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Staff running the program; unit contacts for their subtree's units; the submitter and
        the trainees it names."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        q = managed_programs_q(actor) | Q(submitted_by_id=actor.pk)
        if actor.has_role(Role.UNIT_CONTACT):
            q |= subtree_q(actor, "unit")
        if actor.cadre_id and actor.has_role(Role.TRAINEE):
            q |= Q(
                pk__in=cls.cadres.through.objects.filter(cadre_id=actor.cadre_id).values(
                    "outcome_id"
                )
            )
        return q


class OutcomeReview(ScopedChild):
    """One decision on an outcome (accepted or returned with a note); the exchange stays on
    record when a returned outcome is revised and reviewed again."""

    scope_parent = "outcome"  # visible exactly when its parent is

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=Outcome.Status.choices)
    note = models.CharField(_("审核意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outcome", "-decided_at", "-id"]

    def __str__(self):
        return f"{self.outcome_id} {self.decision}"


def attachment_upload_to(instance, filename: str) -> str:
    """A random name keeps evidence unguessable and free of the uploader's characters."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"outcomes/{uuid.uuid4().hex}{suffix}"


class Attachment(ScopedChild):
    """Evidence: a photo, a document, a resolution — of a follow-up or of an outcome."""

    scope_parent = ("follow_up", "outcome")  # visible exactly when its parent is

    follow_up = models.ForeignKey(
        "outcomes.FollowUp",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_upload_to, max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(follow_up__isnull=True) & Q(outcome__isnull=False))
                | (Q(follow_up__isnull=False) & Q(outcome__isnull=True)),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self):
        return self.file_name
