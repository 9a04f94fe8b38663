"""Switches for the scheduled reminders, the record of what fired, and the 催办 marks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedChild, ScopedManager, subtree_q
from ganxun.programs.models import MANAGING_ROLES, Program
from ganxun.reminders.switches import KINDS

KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]


class ReminderSetting(models.Model):
    """One kind switched on/off (and its timing) for an org's subtree or for one program."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("提醒"), max_length=30, choices=KIND_CHOICES)
    enabled = models.BooleanField(_("开启"), default=True)
    value = models.PositiveSmallIntegerField(_("时间"), null=True, blank=True)
    dates = models.CharField(_("提醒日期"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("提醒设置")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind"], condition=Q(program__isnull=True), name="uniq_rs_org"
            ),
            models.UniqueConstraint(
                fields=["program", "kind"], condition=Q(org__isnull=True), name="uniq_rs_program"
            ),
            models.CheckConstraint(
                condition=Q(org__isnull=True, program__isnull=False)
                | Q(org__isnull=False, program__isnull=True),
                name="rs_org_xor_program",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.org or self.program}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Managing staff: the rows of their subtree and of the programs they see."""
        allowed = actor.has_role(*MANAGING_ROLES)
        if not allowed:
            return Q(pk__in=[])
        return subtree_q(actor, "org") | Q(
            program__in=Program.objects.visible_to(actor).values("pk")
        )


class ReminderFired(ScopedChild):
    """One occurrence of a scheduled reminder, sent once: the key is claimed in the sending
    transaction (unique), so two workers or a re-run never send it again. The outbox's own
    ``key`` is the same string, a second guard."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)
    fired_at = models.DateTimeField(auto_now_add=True)

    scope_parent = ("program", "org")

    class Meta:
        ordering = ["-fired_at", "-id"]
        verbose_name = _("已发送的提醒")

    def __str__(self):
        return self.key


class ChaseMark(models.Model):
    """When a 催办 last went to one target (a survey's unit, a session's evaluation form, an
    outline): at most one a day per target."""

    target = models.CharField(max_length=80)
    unit = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    reminded_at = models.DateTimeField()
    reminded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("催办记录")
        constraints = [
            models.UniqueConstraint(fields=["target", "unit"], name="uniq_chase_target_unit")
        ]

    def __str__(self):
        return f"{self.target} · {self.unit_id}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "unit")
