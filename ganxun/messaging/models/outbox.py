"""The outbox: what was sent (``Message``), to whom and on which channel, and how it went
(``Delivery``).

A ``Message`` is written once, in the transaction of the event that caused it
(``ganxun.messaging.outbox.send``), with one ``Delivery`` per recipient and channel: the in-app
one (``channel="inapp"``) is done at once — its ``core.Notice`` rows carry ``message_id`` — and
every other channel is pending until the worker's delivery loop (``ganxun.messaging.delivery``)
claims it with a lease, sends it outside any transaction and records the result.

Visibility: a message is seen by the administrators and organizers of its org's subtree; a
delivery follows its message (``ScopedChild``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.encrypted import EncryptedTextField
from ganxun.core.roles import Role
from ganxun.core.scoping import ScopedChild, ScopedManager, subtree_q

__all__ = ["INAPP", "Delivery", "Message"]

INAPP = "inapp"  # the inbox (core.Notice): delivered when the message is written


class Message(models.Model):
    """One notice of one kind, as the sender caused it: the rendered texts (the first
    recipient's when each has their own), the idempotency ``key`` and how many were told."""

    kind = models.CharField(_("消息类别"), max_length=30)
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组织"),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("培训项目"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发送人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    sms = models.TextField(_("短信"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # A non-empty key makes a send idempotent (a reminder fired once, a retried request).
    key = models.CharField(_("幂等键"), max_length=200, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)  # delivered even in quiet hours
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("发送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="messaging_message_unique_key"
            )
        ]
        indexes = [models.Index(fields=["program", "-created_at"])]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, actor) -> Q:
        allowed = actor.has_role(Role.ADMIN, Role.ORGANIZER)
        q = subtree_q(actor, "org", allowed=allowed)
        root = getattr(actor, "org", None)
        if allowed and root is not None and root.parent_id is None:
            q |= Q(org__isnull=True)  # a message of no org: the top administrators'
        return q


class Delivery(ScopedChild):
    """One recipient on one channel. ``status`` moves pending → sending (claimed, with a lease)
    → sent, or back to pending with a later ``next_attempt_at`` (the channel said "later"), or
    failed (refused, or out of attempts — ``last_error`` says why, in Chinese, to the sender).
    A killed worker's claim expires with its lease and the delivery is claimed again with the
    same ``idempotency_key``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # bulk writes of 50,000 rows; an account removed keeps the record
    )
    cadre = models.ForeignKey(
        "orgs.Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    channel = models.CharField(_("渠道"), max_length=12)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)  # the claiming round's token
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    address = EncryptedTextField(_("地址"), blank=True)  # as sent: a phone number is personal
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # This recipient's own texts (send_each with a context per recipient); empty: the message's.
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    sms = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)

    scope_parent = "message"

    class Meta:
        verbose_name = _("送达记录")
        indexes = [
            models.Index(
                fields=["channel", "next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(
                fields=["channel", "lease_until"],
                condition=Q(status="sending"),
                name="delivery_leased",
            ),
            models.Index(fields=["message", "channel", "status"]),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="delivery_user"),
            models.Index(fields=["cadre"], condition=Q(cadre__isnull=False), name="delivery_cadre"),
        ]

    def __str__(self):
        return f"{self.message_id}:{self.channel}:{self.status}"

    @property
    def idempotency_key(self) -> str:
        """Stable across retries and reclaims: the provider drops a second copy where it can
        (an SMS OutId, a Message-ID, a work app's msg id)."""
        return f"ganxun-{self.message_id}-{self.pk}"
