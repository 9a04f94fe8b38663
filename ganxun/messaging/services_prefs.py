"""Writes of what administrators and people chose about notices: template overrides, the
channels an org allows, a person's channels, work-app bindings. One transaction each,
audited."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.services import clean_text, record
from ganxun.messaging import kinds as registry
from ganxun.messaging import policies_prefs as policies
from ganxun.messaging import preferences, templates
from ganxun.messaging.errors import MessagingError
from ganxun.messaging.kinds import NoticeKind
from ganxun.messaging.models import (
    ChannelPreference,
    OrgChannelPolicy,
    TemplateOverride,
    WorkAppBinding,
)

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.orgs.models import Cadre, Org

TEXT_FIELDS = ["title", "body", "sms"]


def _kind(code: str) -> NoticeKind:
    kind = registry.get(code)
    if kind is None:
        raise MessagingError("unknown_kind", _("没有这种消息类别。"), field="kind")
    return kind


def _editable(code: str) -> NoticeKind:
    kind = _kind(code)
    if not kind.editable:
        raise MessagingError(
            "kind_not_editable", _("这类消息的文字是固定的，不能修改。"), field="kind"
        )
    return kind


@transaction.atomic
def template_save(
    *, actor: "User", org: "Org", kind: str, title: str, body: str = "", sms: str = ""
) -> TemplateOverride:
    """The org's wording of a kind (applies to its subtree); refused with the editor's first
    problem (unknown variable, personal-data variable, SMS too long …)."""
    if not policies.can_edit_templates_for(actor, org):
        raise PermissionDenied()
    notice_kind = _editable(kind)
    title = clean_text(title, field="title", label=_("标题"), max_length=200, error=MessagingError)
    body = clean_text(
        body, field="body", label=_("内容"), required=False, max_length=4000, error=MessagingError
    )
    sms = clean_text(
        sms, field="sms", label=_("短信"), required=False, max_length=500, error=MessagingError
    )
    problems = templates.validate(notice_kind, title=title, body=body, sms=sms)
    if problems:
        first = problems[0]
        raise MessagingError("invalid_template", first.message, field=first.field)
    # scope: the override of an org the actor may word (checked above), found by its key
    found = TemplateOverride._base_manager.select_for_update().filter(org=org, kind=kind).first()
    before = {f: getattr(found, f) for f in TEXT_FIELDS} if found else {}
    override = found or TemplateOverride(org=org, kind=kind)
    override.title, override.body, override.sms = title, body, sms
    override.updated_by = actor
    override.save()
    after = {f: getattr(override, f) for f in TEXT_FIELDS}
    if found is None:
        after["kind"] = kind
    record(actor, "update" if found else "create", override, before, after)
    return override


@transaction.atomic
def template_reset(*, actor: "User", org: "Org", kind: str) -> bool:
    """Drop the org's wording: the nearest one above, or the default, applies again."""
    if not policies.can_edit_templates_for(actor, org):
        raise PermissionDenied()
    _kind(kind)
    # scope: the override of an org the actor may word (checked above)
    found = TemplateOverride._base_manager.filter(org=org, kind=kind).first()
    if found is None:
        return False
    audit_record(
        actor=actor,
        action="delete",
        obj=found,
        changes={f: [getattr(found, f), None] for f in TEXT_FIELDS},
    )
    found.delete()
    return True


def _known_channels(channels: list[str], field: str = "channels") -> list[str]:
    known = set(preferences.LABELS) - {preferences.INAPP}
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise MessagingError(
            "unknown_channel",
            _("没有这种发送渠道：%(codes)s。") % {"codes": "、".join(unknown)},
            field=field,
        )
    return preferences.ordered(channels)


@transaction.atomic
def channel_policy_save(
    *, actor: "User", org: "Org", channels: list[str] | None
) -> OrgChannelPolicy | None:
    """The channels ``org`` and its subtree allow (beyond in-app); None: inherit from above."""
    if not policies.can_set_channel_policy(actor, org):
        raise PermissionDenied()
    # scope: the policy of an org in the actor's subtree (checked above)
    found = OrgChannelPolicy._base_manager.select_for_update().filter(org=org).first()
    before = {"channels": found.channels} if found else {}
    if channels is None:
        if found is not None:
            audit_record(
                actor=actor,
                action="delete",
                obj=found,
                changes={"channels": [found.channels, None]},
            )
            found.delete()
        return None
    policy = found or OrgChannelPolicy(org=org)
    policy.channels = _known_channels(channels)
    policy.updated_by = actor
    policy.save()
    record(actor, "update" if found else "create", policy, before, {"channels": policy.channels})
    return policy


@transaction.atomic
def preference_save(*, actor: "User", channels: list[str], kind: str = "") -> ChannelPreference:
    """The channels the actor wants notices by (every kind, or one ``kind``), beyond in-app.
    Kept as chosen: what the org allows is applied when sending, so a channel the org opens
    later is not lost."""
    if not policies.can_choose_channels(actor):
        raise PermissionDenied()
    if kind:
        _kind(kind)
    chosen = _known_channels(channels)
    mine = ChannelPreference.objects.visible_to(actor).select_for_update()
    pref = mine.filter(user=actor, kind=kind).first()
    before = {"channels": pref.channels} if pref else {}
    after: dict = {"channels": chosen} if pref else {"kind": kind, "channels": chosen}
    pref = pref or ChannelPreference(user=actor, kind=kind)
    pref.channels = chosen
    pref.save()
    record(actor, "update" if before else "create", pref, before, after)
    return pref


@transaction.atomic
def preference_clear(*, actor: "User", kind: str) -> bool:
    """One kind follows the person's general choice again."""
    if not policies.can_choose_channels(actor):
        raise PermissionDenied()
    mine = ChannelPreference.objects.visible_to(actor)
    found = mine.filter(user=actor, kind=kind).exclude(kind="").first()
    if found is None:
        return False
    audit_record(
        actor=actor, action="delete", obj=found, changes={"channels": [found.channels, None]}
    )
    found.delete()
    return True


@transaction.atomic
def work_app_bind(
    *,
    actor: "User",
    channel: str,
    app_user_id: str,
    user: "User | None" = None,
    cadre: "Cadre | None" = None,
) -> WorkAppBinding | None:
    """Who the account (or the roster cadre) is in a work app; an empty id removes it."""
    if (user is None) == (cadre is None):
        raise MessagingError("binding_owner", _("请指定账号或干部之一。"))
    org = user.org if user is not None else cadre.unit if cadre is not None else None
    if not policies.can_bind_work_app(actor, org):
        raise PermissionDenied()
    if channel not in WorkAppBinding.App.values:
        raise MessagingError("unknown_channel", _("没有这种工作应用。"), field="channel")
    app_user_id = clean_text(
        app_user_id,
        field="app_user_id",
        label=_("应用内用户ID"),
        required=False,
        max_length=100,
        error=MessagingError,
    )
    owner = {"user": user} if user is not None else {"cadre": cadre}
    found = (
        # scope: the binding of an account or cadre in the actor's subtree (checked above)
        WorkAppBinding._base_manager.select_for_update().filter(channel=channel, **owner).first()
    )
    if not app_user_id:
        if found is not None:
            audit_record(
                actor=actor,
                action="delete",
                obj=found,
                changes={"app_user_id": [found.app_user_id, None]},
            )
            found.delete()
        return None
    before = {"app_user_id": found.app_user_id} if found else {}
    binding = found or WorkAppBinding(channel=channel, **owner)
    binding.app_user_id = app_user_id
    binding.updated_by = actor
    binding.save()
    record(actor, "update" if found else "create", binding, before, {"app_user_id": app_user_id})
    return binding
