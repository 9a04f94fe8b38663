"""Timetable changes waiting to be told (变更待通知): recorded by the services that change a
program's timetable (batching, classroom assignment, a session's time, room or cancellation),
sent by the organizer as one grouped 调训通知（更新） per affected person."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import Program


class ScheduleChange(models.Model):
    class Kind(models.TextChoices):
        BATCHES = "batches", _("学员分批")
        TRAINEE_BATCH = "trainee_batch", _("学员调整批次")
        VENUES = "venues", _("分配教室")
        SESSION_NEW = "session_new", _("新增课程")
        SESSION_CHANGED = "session_changed", _("课程调整")
        SESSION_CANCELLED = "session_cancelled", _("课程取消")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("变更内容"), max_length=300)
    # Who is affected, frozen when recorded (a deleted session still tells its people):
    # trainee cadre ids, or null for every trainee of the program; lecturers' cadre ids.
    trainee_cadre_ids = models.JSONField(null=True, blank=True)
    lecturer_cadre_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "created_at", "id"]
        verbose_name = _("课表变更")
        indexes = [models.Index(fields=["program", "notified_at"])]

    def __str__(self):
        return self.summary

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))
