"""Which channels a notice goes by, and to which address.

``channels_for(to, kind=…, org_id=…)`` answers the channel codes *beyond in-app* (which every
notice gets) for one recipient and kind:

1. none for a kind that may not leave the platform (``NoticeKind.external`` False) or that
   nobody registered;
2. the channels this server has configured (``channels.registry.configured_channels()``)
   and the person's organization allows (``OrgChannelPolicy`` of their org or its nearest
   ancestor; none anywhere: every configured channel) — the person's org is their account's
   org, else their cadre's unit, else ``org_id``;
3. of those, what the person chose (``ChannelPreference`` for this kind, else for every kind;
   none chosen: all of them);
4. an official kind reaches the person even when they turned everything off: in-app, plus
   their first allowed external channel (in ``ORDER``) that has an address for them.

``address_for(to, channel)``: the cadre's mobile for ``sms`` (``Cadre.phone``, decrypted), the
account's e-mail for ``email``, the bound user id for a work app (``WorkAppBinding``); '' when
there is none.

A batch (the outbox writing 50,000 rows) holds one ``Chooser`` per kind and org: policies are
read once per org, and ``prefetch`` loads every recipient's account, preferences and unit in a
few queries.

Reads here step around scoping on purpose: whoever sends a notice was allowed to address the
recipient; which channels and addresses that recipient has is the messaging layer's business,
not the sender's view."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ganxun.messaging import kinds as registry

if TYPE_CHECKING:
    from ganxun.messaging.outbox import To

INAPP = "inapp"
# Preference order: the official fallback takes the first allowed one with an address.
ORDER = ("sms", "wecom", "dingtalk", "zzd", "email")
LABELS = {
    INAPP: _("站内消息"),
    "sms": _("短信"),
    "email": _("电子邮件"),
    "wecom": _("企业微信"),
    "dingtalk": _("钉钉"),
    "zzd": _("浙政钉"),
}


def configured() -> list[str]:
    """The channel codes this server can send by, in ``ORDER``.

    The registry is the channels work's (``ganxun.messaging.channels.registry``); where it is
    missing, no external channel is configured."""
    try:
        from ganxun.messaging.channels.registry import configured_channels
    except ImportError:
        return []
    codes = set(configured_channels())
    return [c for c in ORDER if c in codes] + sorted(codes - set(ORDER) - {INAPP})


def ordered(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [c for c in ORDER if c in wanted] + sorted(wanted - set(ORDER) - {INAPP})


def policy_for(org_id: int | None, *, configured_codes: list[str] | None = None) -> list[str]:
    """The channels allowed in ``org_id`` (nearest policy up the tree; none: all configured),
    within those configured."""
    from ganxun.messaging.models import OrgChannelPolicy
    from ganxun.messaging.templates import org_chain

    codes = configured() if configured_codes is None else configured_codes
    chain = org_chain(org_id)
    if chain:
        found = dict(
            # scope: the policies above the person's org decide what reaches them
            OrgChannelPolicy._base_manager.filter(org_id__in=chain).values_list(
                "org_id", "channels"
            )
        )
        for oid in chain:
            if oid in found:
                allowed = set(found[oid] or [])
                return [c for c in codes if c in allowed]
    return list(codes)


def inherited_policy(org_id: int) -> tuple[list[str] | None, int | None]:
    """The policy in force above ``org_id`` (not its own): (channels or None, the org)."""
    from ganxun.messaging.models import OrgChannelPolicy
    from ganxun.messaging.templates import org_chain

    chain = org_chain(org_id)[1:]
    if not chain:
        return None, None
    found = dict(
        # scope: the policies of the ancestors, shown on the policy page as what is inherited
        OrgChannelPolicy._base_manager.filter(org_id__in=chain).values_list("org_id", "channels")
    )
    for oid in chain:
        if oid in found:
            return list(found[oid] or []), oid
    return None, None


class Chooser:
    """``channels_for`` for many recipients of one kind (policies cached per org)."""

    def __init__(self, *, kind: str, org_id: int | None = None):
        self.kind = registry.get(kind)
        self.org_id = org_id
        self.codes = configured() if self.kind is not None and self.kind.external else []
        self._policies: dict[int | None, list[str]] = {}
        self._people: dict[tuple[int | None, int | None], tuple[int | None, int | None]] = {}
        self._prefs: dict[int, dict[str, list[str]]] = {}

    def prefetch(self, tos: Iterable["To"]) -> None:
        """Load the accounts, units and preferences of these recipients in a few queries."""
        if not self.codes:
            return
        from django.contrib.auth import get_user_model

        from ganxun.messaging.models import ChannelPreference
        from ganxun.orgs.models import Cadre

        tos = list(tos)
        users = get_user_model()._base_manager  # scope: see the module docstring
        user_ids = {t.user_id for t in tos if t.user_id}
        cadre_only = {t.cadre_id for t in tos if t.cadre_id and not t.user_id}
        by_user = {
            pk: (org_id, pk)
            for pk, org_id in users.filter(pk__in=user_ids).values_list("pk", "org_id")
        }
        first_account: dict[int, tuple[int, int | None]] = {}
        for pk, cadre_id, org_id in (
            users.filter(cadre_id__in=cadre_only, is_active=True)
            .order_by("pk")
            .values_list("pk", "cadre_id", "org_id")
        ):
            first_account.setdefault(cadre_id, (pk, org_id))
        units = dict(
            # scope: see the module docstring
            Cadre._base_manager.filter(pk__in=cadre_only - set(first_account)).values_list(
                "pk", "unit_id"
            )
        )
        for t in tos:
            if t.user_id:
                org_id, pk = by_user.get(t.user_id, (None, t.user_id))
                self._people[(t.user_id, t.cadre_id)] = (pk, org_id)
            elif t.cadre_id in first_account:
                pk, org_id = first_account[t.cadre_id]
                self._people[(None, t.cadre_id)] = (pk, org_id)
            else:
                self._people[(None, t.cadre_id)] = (None, units.get(t.cadre_id))
        account_ids = {pk for pk, _org in self._people.values() if pk}
        for pk in account_ids:
            self._prefs.setdefault(pk, {})
        # scope: see the module docstring
        for user_id, kind, channels in ChannelPreference._base_manager.filter(
            user_id__in=account_ids, kind__in=["", self.kind.code if self.kind else ""]
        ).values_list("user_id", "kind", "channels"):
            self._prefs[user_id][kind] = list(channels or [])

    def _person(self, to: "To") -> tuple[int | None, int | None]:
        key = (to.user_id, to.cadre_id)
        if key not in self._people:
            self.prefetch([to])
        return self._people.get(key, (to.user_id, None))

    def allowed(self, org_id: int | None) -> list[str]:
        org_id = org_id if org_id is not None else self.org_id
        if org_id not in self._policies:
            self._policies[org_id] = policy_for(org_id, configured_codes=self.codes)
        return self._policies[org_id]

    def channels(self, to: "To") -> list[str]:
        if self.kind is None or not self.codes:
            return []
        account_id, person_org = self._person(to)
        allowed = self.allowed(person_org)
        if not allowed:
            return []
        prefs = self._prefs.get(account_id, {}) if account_id else {}
        chosen = prefs.get(self.kind.code, prefs.get(""))
        picked = allowed if chosen is None else [c for c in allowed if c in chosen]
        if picked or not self.kind.official:
            return picked
        for code in allowed:  # official: the first allowed channel that can reach them
            if address_for(to, code):
                return [code]
        return []


def channels_for(to: "To", *, kind: str, org_id: int | None = None) -> list[str]:
    """The channel codes beyond in-app this person gets for ``kind`` (see the docstring)."""
    return Chooser(kind=kind, org_id=org_id).channels(to)


def address_for(to: "To", channel: str) -> str:
    """The person's address on ``channel``; '' when there is none."""
    from django.contrib.auth import get_user_model

    from ganxun.messaging.models import WorkAppBinding
    from ganxun.orgs.models import Cadre

    users = get_user_model()._base_manager  # scope: see the module docstring
    if channel == "sms":
        cadre_id = to.cadre_id
        if cadre_id is None and to.user_id:
            cadre_id = users.filter(pk=to.user_id).values_list("cadre_id", flat=True).first()
        if cadre_id is None:
            return ""
        # scope: see the module docstring
        cadre = Cadre._base_manager.filter(pk=cadre_id).only("phone").first()
        return (cadre.phone or "").strip() if cadre else ""
    if channel == "email":
        qs = (
            users.filter(pk=to.user_id)
            if to.user_id
            else users.filter(cadre_id=to.cadre_id, is_active=True).order_by("pk")
        )
        return (qs.values_list("email", flat=True).first() or "").strip()
    if channel in ("wecom", "dingtalk", "zzd"):
        # scope: see the module docstring
        bindings = WorkAppBinding._base_manager.filter(channel=channel)
        if to.user_id:
            found = bindings.filter(user_id=to.user_id).values_list("app_user_id", flat=True)
            value = found.first()
            if value:
                return value
        cadre_id = to.cadre_id
        if cadre_id is None and to.user_id:
            cadre_id = users.filter(pk=to.user_id).values_list("cadre_id", flat=True).first()
        if cadre_id is not None:
            found = bindings.filter(cadre_id=cadre_id).values_list("app_user_id", flat=True)
            return found.first() or ""
    return ""
