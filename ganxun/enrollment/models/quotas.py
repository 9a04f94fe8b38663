"""调训 quotas per unit (and per batch) and the nominations filling them, with their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import MANAGING_ROLES, Program, ProgramTrainee


def _program_or_subtree_q(actor, program_lookup: str, org_lookup: str) -> Q:
    """Organizers see what belongs to programs they see; unit contacts what belongs to the
    units of their subtree."""
    root = getattr(actor, "org", None)
    if root is None or not actor.is_active:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    if actor.has_role(*MANAGING_ROLES):
        q |= Q(**{f"{program_lookup}__in": Program.objects.visible_to(actor).values("pk")})
    if actor.has_role(Role.UNIT_CONTACT, Role.ADMIN):
        q |= Q(**{f"{org_lookup}__path__startswith": root.path})
    return q


class Quota(Timestamped):
    """Seats a program gives a unit (调训名额), or seats a higher-level class offers a lower
    unit (搭车名额). The unit's contact fills them with nominations."""

    class Kind(models.TextChoices):
        QUOTA = "quota", _("调训名额")
        RIDE_ALONG = "ride_along", _("搭车名额")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quotas")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    batch = models.PositiveSmallIntegerField(
        _("批次"), null=True, blank=True, help_text=_("留空表示不分批。")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.QUOTA)
    seats = models.PositiveIntegerField(_("名额"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "org__path", "batch", "kind", "id"]
        verbose_name = _("名额")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "org", "kind", "batch"],
                condition=Q(batch__isnull=False),
                name="uniq_quota_batch",
            ),
            models.UniqueConstraint(
                fields=["program", "org", "kind"],
                condition=Q(batch__isnull=True),
                name="uniq_quota_nobatch",
            ),
        ]

    def __str__(self):
        batch = f"·第{self.batch}批" if self.batch else ""
        return f"{self.org}{batch}·{self.get_kind_display()}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _program_or_subtree_q(actor, "program", "org")

    @property
    def trainee_source(self) -> str:
        if self.kind == self.Kind.RIDE_ALONG:
            return ProgramTrainee.Source.RIDE_ALONG
        return ProgramTrainee.Source.ASSIGNED


class Nomination(models.Model):
    """A cadre put forward against a quota. Rows are never deleted: a replaced nominee keeps
    the row (status REPLACED) and the new one points back to it with ``replaces``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        REPLACED = "replaced", _("已替换")

    LIVE = (Status.PENDING, Status.CONFIRMED)

    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="nominations")
    # Denormalised from the quota so one cadre holds one live nomination per program.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("干部")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("替换"),
    )
    note = models.CharField(_("推荐说明"), max_length=200, blank=True)
    decision_note = models.CharField(_("退回/确认意见"), max_length=300, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-nominated_at", "-id"]
        verbose_name = _("报名")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "cadre"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="uniq_live_nomination",
            )
        ]
        indexes = [models.Index(fields=["quota", "status"])]

    def __str__(self):
        return f"{self.cadre} · {self.get_status_display()}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return _program_or_subtree_q(actor, "program", "quota__org")

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE
