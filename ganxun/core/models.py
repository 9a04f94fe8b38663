import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An append-only row was about to be changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """Rows are written once. The database refuses UPDATE and DELETE as well (see migrations)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class Timestamped(models.Model):
    """When a row was made and last saved: the two fields many models carry, written once.
    (Fields with their own label or index stay on their model: moving them would migrate.)"""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(AppendOnlyModel):
    """Who did what to which object, when and from where; with old → new values."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        EXPORT = "export", _("导出")
        VIEW_SENSITIVE = "view_sensitive", _("查看敏感信息")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150)
    ip = models.GenericIPAddressField(_("来源地址"), null=True)
    channel = models.CharField(_("渠道"), max_length=10, default="web")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    changes = models.JSONField(_("变更"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]
        verbose_name = _("审计日志")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class Job(models.Model):
    """A background job the user started, with progress the UI polls."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("名称"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    errors = models.JSONField(default=list)
    result = models.JSONField(default=dict)
    result_file = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def result_link(self) -> tuple[str, str] | None:
        """(url, label) of the page showing what the job produced (``core.jobs.result_link``)."""
        from ganxun.core.jobs import result_link  # deferred: core.jobs imports this module

        return result_link(self)


class DueNoticeManager(models.Manager):
    """Notices whose time has come: a notice may be written ahead with a later ``created_at``
    (an evaluation invitation written at check-in shows when the form opens, at the end of
    class) — derived on read, no scheduler. ``_base_manager`` sees every row."""

    def get_queryset(self):
        from django.utils import timezone

        return super().get_queryset().filter(created_at__lte=timezone.now())


class Notice(models.Model):
    """A message in a user's inbox (我的消息): enrollment confirmations, evaluation invitations,
    leave decisions. ``url`` leads to where the user acts on it."""

    # Addressed to an account, or to a roster cadre (``cadre_id``, no FK: core imports no
    # app). A notice to a cadre with no account yet has no user: any account linked to the
    # cadre later sees it and takes it over when reading it (core/notices.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    cadre_id = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # The outbox message it belongs to (messaging.Message; no FK: core imports no app), for
    # "who was told" and read counts. Empty for notices written before the outbox.
    message_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects = DueNoticeManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            models.Index(
                fields=["cadre_id"], condition=Q(user__isnull=True), name="notice_unclaimed"
            ),
            models.Index(
                fields=["message_id"], condition=Q(message_id__isnull=False), name="notice_message"
            ),
        ]

    def __str__(self):
        return self.title


class SubmissionKey(models.Model):
    """One claimed form submission (core/idempotency.py). The key is rendered into the form as a
    hidden field; the primary key's uniqueness makes a double click, a retried post or ten
    simultaneous posts write once, and ``object_type``/``object_id`` lead the repeats to what the
    first one made."""

    key = models.UUIDField(primary_key=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=300)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # when the service returned a dataclass around the object: "module:QualName:field"
    wrapper = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")

    def __str__(self):
        return str(self.key)


class RateCounter(models.Model):
    """One fixed window of one rate limit (core/counters.py), when no Redis is configured.

    Every app process (gunicorn workers, runserver and the task worker) increments the same row,
    so a limit holds whatever the number of processes. Rows of ended windows are purged.
    """

    bucket = models.CharField(primary_key=True, max_length=100)  # scope:key-digest:window
    n = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # unix time at which the window is over

    def __str__(self) -> str:
        return f"{self.bucket}: {self.n}"
