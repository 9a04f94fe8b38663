"""Attendance (出勤): one row per trainee and session, however they checked in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedManager, subtree_q
from ganxun.programs.models import Session


class Attendance(models.Model):
    """A trainee present at a session. Unique per (session, cadre): checking in twice returns the
    first row. Late and early-leave minutes are fixed when the row is written (check-in) and when
    the trainee checks out, from the session's thresholds."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码")
        MANUAL = "manual", _("手工")
        SHEET = "sheet", _("纸质签到表")
        API = "api", _("签到机/接口")

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="attendances"
    )
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("学员")
    )
    venue = models.ForeignKey(
        "programs.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签到教室"),
    )
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    late_minutes = models.PositiveSmallIntegerField(_("迟到分钟"), default=0)
    early_minutes = models.PositiveSmallIntegerField(_("早退分钟"), default=0)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    walk_in = models.BooleanField(_("旁听"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "checked_in_at", "id"]
        verbose_name = _("签到记录")
        constraints = [models.UniqueConstraint(fields=["session", "cadre"], name="uniq_attendance")]
        indexes = [
            models.Index(fields=["cadre", "checked_in_at"]),
            models.Index(fields=["session", "venue"]),
        ]

    def __str__(self):
        return f"{self.cadre} @ {self.session}"

    @property
    def is_late(self) -> bool:
        return self.late_minutes > 0

    @property
    def left_early(self) -> bool:
        return self.early_minutes > 0

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Staff see attendance of sessions they may see; a trainee sees their own rows."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        if actor.has_role(Role.ADMIN, Role.ORGANIZER, Role.REVIEWER, Role.LECTURER):
            return Q(session__in=Session.objects.visible_to(actor).values("pk"))
        if actor.has_role(Role.UNIT_CONTACT):
            return subtree_q(actor, "cadre__unit")
        if actor.cadre_id:
            return Q(cadre_id=actor.cadre_id)
        return Q(pk__in=[])
