"""Templates, channel preferences, allowed channels, work-app addresses (templates work).

- ``TemplateOverride``: an administrator's wording of a notice kind for an org and, by
  inheritance, its whole subtree (the nearest override up the tree wins; none: the kind's
  default).
- ``OrgChannelPolicy``: the channels an org allows its people (beyond in-app, which is always
  on); inherited down the tree the same way; none anywhere: every configured channel.
- ``ChannelPreference``: the channels one account chose, for every kind (``kind`` empty) or
  for one kind.
- ``WorkAppBinding``: who a person is in a work app (企业微信 / 钉钉 / 浙政钉 user id), for an
  account or for a roster cadre.

Writes go through ``ganxun.messaging.prefs_services`` (audited)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.roles import Role
from ganxun.core.scoping import ScopedManager, subtree_q

__all__ = ["ChannelPreference", "OrgChannelPolicy", "TemplateOverride", "WorkAppBinding"]

WORK_APPS = ("wecom", "dingtalk", "zzd")


class TemplateOverride(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name=_("组织")
    )
    kind = models.CharField(_("消息类别"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    sms = models.CharField(_("短信"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("消息模板")
        constraints = [
            models.UniqueConstraint(fields=["org", "kind"], name="uniq_template_org_kind")
        ]

    def __str__(self):
        return f"{self.org_id}:{self.kind}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "org", allowed=actor.has_role(Role.ADMIN, Role.ORGANIZER))


class OrgChannelPolicy(models.Model):
    org = models.OneToOneField(
        "orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name=_("组织")
    )
    channels = models.JSONField(_("允许的渠道"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("渠道策略")

    def __str__(self):
        return f"{self.org_id}:{','.join(self.channels)}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "org", allowed=actor.has_role(Role.ADMIN))


class ChannelPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences"
    )
    # "" = every kind; a kind's own row wins over it.
    kind = models.CharField(_("消息类别"), max_length=30, blank=True)
    channels = models.JSONField(_("接收渠道"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("通知方式")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="uniq_channel_pref_user_kind")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.kind or '*'}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        if not getattr(actor, "is_active", False) or actor.pk is None:
            return Q(pk__in=[])
        return Q(user_id=actor.pk)


class WorkAppBinding(models.Model):
    class App(models.TextChoices):
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")
        ZZD = "zzd", _("浙政钉")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_app_bindings",
    )
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("应用"), max_length=12, choices=App.choices)
    app_user_id = models.CharField(_("应用内用户ID"), max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("工作应用绑定")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(cadre__isnull=False),
                name="work_app_binding_has_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "channel"],
                condition=Q(user__isnull=False),
                name="uniq_work_app_user",
            ),
            models.UniqueConstraint(
                fields=["cadre", "channel"],
                condition=Q(cadre__isnull=False),
                name="uniq_work_app_cadre",
            ),
        ]

    def __str__(self):
        return f"{self.channel}:{self.app_user_id}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        if not getattr(actor, "is_active", False) or actor.pk is None:
            return Q(pk__in=[])
        own = Q(user_id=actor.pk)
        if getattr(actor, "cadre_id", None):
            own |= Q(cadre_id=actor.cadre_id)
        if actor.has_role(Role.ADMIN):
            own |= subtree_q(actor, "user__org") | subtree_q(actor, "cadre__unit")
        return own
