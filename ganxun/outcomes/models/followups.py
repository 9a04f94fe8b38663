"""Field follow-ups (一线调研): organizers visit trained cadres and their units some weeks after a
program and rate how far the training was applied. A sample plans whom to visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedChild, ScopedManager
from ganxun.outcomes.models.common import managed_programs_q


class FollowUp(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("培训项目")
    )
    visited_on = models.DateField(_("调研日期"))
    visitors = models.CharField(_("调研人员"), max_length=200)
    unit = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("走访单位"),
    )
    cadres = models.ManyToManyField(
        "orgs.Cadre", blank=True, related_name="+", verbose_name=_("走访学员")
    )
    applied = models.TextField(_("学以致用情况"))
    rating = models.PositiveSmallIntegerField(_("应用评分（1–5）"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("一线调研记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="followup_rating_1_5"
            )
        ]
        indexes = [models.Index(fields=["program", "visited_on"])]

    def __str__(self):
        return _("%(visited_on)s 一线调研") % {"visited_on": self.visited_on}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return managed_programs_q(actor)


class FollowUpSample(models.Model):
    """A planned follow-up sample: ``share`` of the trainees, stratified by unit, drawn with
    ``seed`` (the same seed and trainee list always give the same people)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("培训项目")
    )
    share = models.DecimalField(_("抽样比例"), max_digits=4, decimal_places=3)
    seed = models.PositiveIntegerField(_("随机种子"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("调研抽样")

    def __str__(self):
        return _("抽样 %(share)s") % {"share": f"{self.share:.0%}"}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return managed_programs_q(actor)


class SampleMember(ScopedChild):
    scope_parent = "sample"  # visible exactly when its parent is
    sample = models.ForeignKey(FollowUpSample, on_delete=models.CASCADE, related_name="members")
    cadre = models.ForeignKey("orgs.Cadre", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sample", "unit__path", "cadre__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "cadre"], name="uniq_sample_member")
        ]

    def __str__(self):
        return f"{self.sample_id}:{self.cadre_id}"
