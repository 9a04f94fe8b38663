"""自主选学: seats on self-selectable sessions (enrolled or waitlisted) and per-trainee limits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedManager, subtree_q
from ganxun.programs.models import MANAGING_ROLES, Program, Session


class Seat(models.Model):
    """A trainee's pick of a self-selectable session. Waitlisted seats move up oldest first
    (lowest id: ids are handed out while the session row is locked, i.e. in request order)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已选上")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已退选")

    LIVE = (Status.ENROLLED, Status.WAITLISTED)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("选课时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("退选时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("选课")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "cadre"],
                condition=Q(status__in=["enrolled", "waitlisted"]),
                name="uniq_live_seat",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status", "id"]),
            models.Index(fields=["cadre", "status"]),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.session} · {self.get_status_display()}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES):
            q |= Q(session__program__in=Program.objects.visible_to(actor).values("pk"))
        if actor.cadre_id:
            q |= Q(cadre_id=actor.cadre_id)
        return q


class SelectionRule(models.Model):
    """How many self-selected sessions a trainee may hold: per program, or per calendar year
    across the programs organized in ``org``'s subtree. Waitlisted picks count too, so a
    trainee cannot queue for everything."""

    class Period(models.TextChoices):
        PROGRAM = "program", _("每个项目")
        YEAR = "year", _("每个自然年")

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name=_("组织单位")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    max_picks = models.PositiveSmallIntegerField(_("最多可选"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["org__path", "period", "id"]
        verbose_name = _("选课限额")
        constraints = [
            models.CheckConstraint(
                condition=Q(period="program", program__isnull=False)
                | Q(period="year", program__isnull=True),
                name="selection_rule_period_matches_program",
            ),
            models.UniqueConstraint(
                fields=["program"], condition=Q(period="program"), name="uniq_rule_program"
            ),
            models.UniqueConstraint(
                fields=["org"], condition=Q(period="year"), name="uniq_rule_year"
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()}最多 {self.max_picks} 门"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "org", allowed=actor.has_role(*MANAGING_ROLES, Role.ADMIN))
