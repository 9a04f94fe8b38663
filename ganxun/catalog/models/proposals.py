"""Course proposals (课程申报) and their selection in rounds into a training menu (培训菜单).

A call (课程征集) belongs to the organizer's org. Department contacts below it propose courses;
the organizer opens named rounds (初选, 复选, 定稿 …). Each round holds one entry per proposal still
in play; the call's reviewers score and comment on entries, the organizer advances or rejects
each, and closes the round. The proposals advanced by the last round become the menu.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models.courses import TeachingForm
from ganxun.catalog.models.sharing import shared_scope_q
from ganxun.core.scoping import ScopedChild, ScopedManager


class ProposalCall(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("征集中")
        REVIEWING = "reviewing", _("评审中")
        FINALIZED = "finalized", _("已定稿")

    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    title = models.CharField(_("征集名称"), max_length=200)
    guidance = models.TextField(_("征集说明"), blank=True)
    deadline = models.DateField(_("申报截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("评审人")
    )
    target_units = models.ManyToManyField(
        "orgs.Org",
        through="CallTarget",
        blank=True,
        related_name="+",
        verbose_name=_("征集单位"),
        help_text=_("留空表示本单位以下所有单位均可申报。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("课程征集")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Units below the owner see the call (to propose); reviewers see what they review."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        reviewing = cls.reviewers.through.objects.filter(user_id=actor.pk).values("proposalcall")
        return shared_scope_q(actor, shared_up=False) | Q(pk__in=reviewing)


class CallTarget(models.Model):
    """A unit a call is addressed to: its contacts were told when it was named, and the
    organizer may remind them (at most once a day) until the unit answers. The through table of
    ``ProposalCall.target_units``: Django's M2M writes use its default manager, so it stays
    unscoped; read it with ``children_of(call, CallTarget, "call")``."""

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    class Meta:
        ordering = ["call", "unit__path"]
        verbose_name = _("征集单位")
        constraints = [models.UniqueConstraint(fields=["call", "unit"], name="uniq_call_target")]

    def __str__(self):
        return f"{self.call} · {self.unit}"


class SelectionRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("评审中")
        CLOSED = "closed", _("已结束")

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="rounds")
    seq = models.PositiveSmallIntegerField(_("轮次"))
    name = models.CharField(_("名称"), max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["call", "seq"]
        verbose_name = _("评审轮次")
        constraints = [models.UniqueConstraint(fields=["call", "seq"], name="uniq_round_seq")]

    def __str__(self):
        return str(_("第%(seq)s轮·%(name)s") % {"seq": self.seq, "name": self.name})

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(call__in=ProposalCall.objects.visible_to(actor).values("pk"))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已申报")
        REVIEWING = "reviewing", _("评审中")
        REJECTED = "rejected", _("未入选")
        SELECTED = "selected", _("入选菜单")
        WITHDRAWN = "withdrawn", _("已撤回")

    call = models.ForeignKey(ProposalCall, on_delete=models.PROTECT, related_name="proposals")
    unit = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("申报单位")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("课程名称"), max_length=200)
    lecturer = models.ForeignKey(
        "catalog.Lecturer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("主讲人（师资库）"),
    )
    lecturer_name = models.CharField(_("主讲人"), max_length=50)
    lecturer_title = models.CharField(_("主讲人职务"), max_length=100, blank=True)
    outline = models.TextField(_("授课提纲"))
    needs = models.TextField(_("针对的需求"), blank=True)
    theme = models.ForeignKey(
        "catalog.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("专题"),
    )
    form = models.CharField(
        _("教学形式"), max_length=20, choices=TeachingForm.choices, default=TeachingForm.LECTURE
    )
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=3)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    last_round = models.ForeignKey(
        SelectionRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("课程申报")

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        """The proposing unit's side, plus everyone who runs or reviews the call."""
        root = getattr(actor, "org", None)
        if root is None or not actor.is_active:
            return Q(pk__in=[])
        reviewing = ProposalCall.reviewers.through.objects.filter(user_id=actor.pk)
        return (
            Q(unit__path__startswith=root.path)
            | Q(call__owner__path__startswith=root.path)
            | Q(call__in=reviewing.values("proposalcall"))
        )

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.SUBMITTED


class RoundEntry(models.Model):
    """One proposal in one round: the reviewers' scores and the organizer's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待定")
        ADVANCED = "advanced", _("通过")
        REJECTED = "rejected", _("淘汰")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="entries")
    decision = models.CharField(
        _("结论"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedManager()
    mine: "Review | None"  # set by selectors_proposals.round_entries (a type only, no field)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("轮次评审项")
        constraints = [
            models.UniqueConstraint(fields=["round", "proposal"], name="uniq_entry_round_proposal")
        ]

    def __str__(self):
        return f"{self.round} · {self.proposal}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(round__call__in=ProposalCall.objects.visible_to(actor).values("pk"))


class Review(ScopedChild):
    scope_parent = "entry"  # visible exactly when its parent is
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评审意见"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "reviewer_id"]
        verbose_name = _("评审意见")
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="uniq_review_entry_reviewer")
        ]

    def __str__(self):
        return f"{self.reviewer} {self.score}"


class MenuItem(ScopedChild):
    """A course on a call's final training menu (培训菜单)."""

    scope_parent = "call"  # visible exactly when its parent is

    call = models.ForeignKey(ProposalCall, on_delete=models.CASCADE, related_name="menu")
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["call", "sort", "id"]
        verbose_name = _("菜单课程")
        constraints = [models.UniqueConstraint(fields=["call", "course"], name="uniq_menu_course")]

    def __str__(self):
        return f"{self.call} · {self.course}"
