"""Quality gates before class: outline review (授课提纲审核, Yuhua) and the three-party
consultation (三方研议, Lüliang)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedChild, ScopedManager
from ganxun.programs.models.programs import MANAGING_ROLES, ProgramTrainee
from ganxun.programs.models.sessions import Session


def outline_upload_to(instance, filename: str) -> str:
    """A random name keeps uploads unguessable and free of the uploader's characters."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"programs/outlines/{uuid.uuid4().hex}{suffix}"


class Outline(models.Model):
    """One version of a session's outline. Versions are never changed: a returned outline is
    answered with a new version, so the whole exchange stays on record."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="outlines")
    version = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("提纲内容"), blank=True)
    file = models.FileField(_("附件"), upload_to=outline_upload_to, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "-version"]
        verbose_name = _("授课提纲")
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="uniq_outline_version")
        ]

    def __str__(self):
        return _("%(title)s 第%(version)s版") % {
            "title": self.session.title,
            "version": self.version,
        }

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Outlines are working papers between lecturer, organizer and reviewer: trainees see
        the session, not its outline."""
        if not actor.has_role(*MANAGING_ROLES, Role.REVIEWER, Role.LECTURER):
            return Q(pk__in=[])
        return Q(session__in=Session.objects.visible_to(actor).values("pk"))


class OutlineDecision(ScopedChild):
    scope_parent = "outline"  # visible exactly when its parent is

    class Decision(models.TextChoices):
        APPROVED = "approved", _("通过")
        RETURNED = "returned", _("退回修改")

    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("审核结论"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outline", "decided_at", "id"]
        verbose_name = _("提纲审核意见")
        constraints = [
            models.UniqueConstraint(fields=["outline"], name="uniq_decision_per_outline")
        ]

    def __str__(self):
        return f"{self.outline} {self.get_decision_display()}"


class Consultation(models.Model):
    """三方研议: organizer, lecturer and trainee representatives meet before class."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="consultation")
    held_on = models.DateField(_("研议日期"))
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("教学组织者"),
    )
    lecturer = models.ForeignKey(
        "catalog.Lecturer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("授课教师"),
    )
    representatives = models.ManyToManyField(
        ProgramTrainee, blank=True, related_name="+", verbose_name=_("学员代表")
    )
    direction = models.TextField(_("教师阐述的教学方向"), blank=True)
    adjustments = models.TextField(_("商定的调整"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("三方研议")

    def __str__(self):
        return _("%(title)s 三方研议") % {"title": self.session.title}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(session__in=Session.objects.visible_to(actor).values("pk"))


class Expectation(ScopedChild):
    """A representative's learning expectations, sent from a phone before the meeting."""

    scope_parent = "consultation"  # visible exactly when its parent is

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="expectations"
    )
    representative = models.ForeignKey(ProgramTrainee, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("学习期望"))
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "submitted_at", "id"]
        verbose_name = _("学习期望")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "representative"], name="uniq_expectation_per_rep"
            )
        ]

    def __str__(self):
        return f"{self.representative}：{self.text[:20]}"
