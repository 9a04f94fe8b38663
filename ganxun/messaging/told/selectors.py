"""Reads of who was told: a program's messages with their counts, a message's recipients with
each channel's status and the in-app read time, a person's own history. Every list runs a
bounded number of queries whatever the number of recipients (GROUP BY counts, one query per
kind of row for a page)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ganxun.accounts.models import User
from ganxun.core.crypto import mask_phone
from ganxun.core.errors import NotFound
from ganxun.core.models import Notice
from ganxun.core.scoping import children_of
from ganxun.messaging.models import INAPP, Delivery, Message
from ganxun.messaging.told import policies
from ganxun.orgs.models import Cadre

if TYPE_CHECKING:
    from django.db.models import Model

Status = Delivery.Status
FILTERS = [(s.value, s.label) for s in Status if s != Status.SENDING]


def get_message_for(actor: User, pk) -> Message:
    """A message the actor may see (organizers of its org subtree), or 404."""
    qs = Message.objects.visible_to(actor).select_related("program", "org", "sender")
    message = qs.filter(pk=pk).first() if policies.can_see_told(actor) else None
    if message is None:
        raise NotFound()
    return message


def program_messages(actor: User, program: "Model") -> QuerySet[Message]:
    return Message.objects.visible_to(actor).filter(program=program).select_related("sender")


@dataclass
class Counts:
    recipients: int = 0
    delivered: int = 0  # external deliveries sent
    pending: int = 0
    failed: int = 0
    cancelled: int = 0
    read: int = 0  # in-app notices read
    channels: dict[str, dict[str, int]] = field(default_factory=dict)


def counts_of(messages: Iterable[Message]) -> dict[int, Counts]:
    """Each message's counts, in two GROUP BY queries for any number of messages."""
    held = list(messages)
    found = {m.pk: Counts(recipients=m.recipients) for m in held}
    if not held:
        return found
    rows = (
        children_of(held, Delivery, "message")
        .exclude(channel=INAPP)
        .values_list("message_id", "channel", "status")
        .annotate(n=Count("id"))
    )
    for message_id, channel, status, n in rows:
        counts = found[message_id]
        counts.channels.setdefault(channel, {})[status] = n
        if status == Status.SENT:
            counts.delivered += n
        elif status in (Status.PENDING, Status.SENDING):
            counts.pending += n
        elif status == Status.FAILED:
            counts.failed += n
        else:
            counts.cancelled += n
    # scope: the notices of messages the actor holds (``message_id`` links them)
    reads = Notice._base_manager.filter(message_id__in=list(found), read_at__isnull=False)
    for message_id, n in reads.values_list("message_id").annotate(n=Count("id")):
        found[message_id].read = n
    return found


def recipients(message: Message, *, status: str = "") -> QuerySet[Delivery]:
    """The message's recipients (their in-app delivery, one each), optionally only those with
    an external delivery in ``status``."""
    base = children_of(message, Delivery, "message")
    rows = base.filter(channel=INAPP).order_by("pk")
    if status:
        hits = base.exclude(channel=INAPP).filter(status=status)
        rows = rows.filter(
            Q(user_id__in=hits.filter(user__isnull=False).values("user_id"))
            | Q(user__isnull=True, cadre_id__in=hits.filter(user__isnull=True).values("cadre_id"))
        )
    return rows


def _key(user_id, cadre_id):
    return ("u", user_id) if user_id is not None else ("c", cadre_id)


def masked(channel: str, address: str) -> str:
    """An address as the pages show it: 138****8000, z***@example.cn, us***."""
    if not address:
        return ""
    if channel == "sms":
        return mask_phone(address)
    if channel == "email" and "@" in address:
        local, _at, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return address[:2] + "***"


@dataclass
class Row:
    name: str
    unit: str
    read_at: datetime | None
    shown_at: datetime | None
    channels: dict[str, Delivery]

    def masked(self, channel: str) -> str:
        d = self.channels.get(channel)
        return masked(channel, d.address) if d else ""


def recipient_rows(message: Message, inapp: Iterable[Delivery]) -> list[Row]:
    """The page's recipients with their names, channels and read time: four queries."""
    inapp = list(inapp)
    user_ids = {d.user_id for d in inapp if d.user_id is not None}
    cadre_ids = {d.cadre_id for d in inapp if d.user_id is None and d.cadre_id is not None}
    who = Q(user_id__in=user_ids) | Q(user__isnull=True, cadre_id__in=cadre_ids)
    external: dict[tuple, dict[str, Delivery]] = {}
    for d in children_of(message, Delivery, "message").exclude(channel=INAPP).filter(who):
        external.setdefault(_key(d.user_id, d.cadre_id), {})[d.channel] = d
    read: dict[tuple, datetime] = {}
    # scope: this message's notices, for the recipients on the page
    notices = Notice._base_manager.filter(message_id=message.pk, read_at__isnull=False)
    for user_id, cadre_id, at in notices.filter(
        Q(user_id__in=user_ids) | Q(cadre_id__in=cadre_ids)
    ).values_list("user_id", "cadre_id", "read_at"):
        for key in (("u", user_id), ("c", cadre_id)):
            if key[1] is not None and (key not in read or at < read[key]):
                read[key] = at
    # scope: the names of recipients the organizer's own message was sent to
    users = User._base_manager.in_bulk(user_ids)
    every_cadre = cadre_ids | {d.cadre_id for d in inapp if d.cadre_id is not None}
    # scope: as above — the roster names of this message's recipients
    cadres = Cadre._base_manager.select_related("unit").in_bulk(every_cadre)
    rows = []
    for d in inapp:
        cadre = cadres.get(d.cadre_id) if d.cadre_id else None
        user = users.get(d.user_id) if d.user_id else None
        name = cadre.name if cadre else (str(user) if user else "—")
        key = _key(d.user_id, d.cadre_id)
        rows.append(
            Row(
                name=name,
                unit=cadre.unit.name if cadre else "",
                read_at=read.get(key),
                shown_at=d.sent_at,
                channels=external.get(key, {}),
            )
        )
    return rows


def channels_used(counts: Counts) -> list[str]:
    return sorted(counts.channels)


# --- a person's own history ----------------------------------------------------------------


def my_history(actor: User) -> QuerySet[Delivery]:
    """The person's in-app deliveries (one per message), newest first, shown ones only."""
    mine = Q(user_id=actor.pk)
    if actor.cadre_id:
        mine |= Q(user__isnull=True, cadre_id=actor.cadre_id)
    # scope: a person's own deliveries, whoever sent them
    rows = Delivery._base_manager.filter(mine, channel=INAPP, sent_at__lte=timezone.now())
    return rows.select_related("message").order_by("-sent_at", "-pk")


@dataclass
class HistoryRow:
    message: Message
    at: datetime | None
    read_at: datetime | None
    channels: list[tuple[str, Delivery]]


def history_rows(actor: User, inapp: Iterable[Delivery]) -> list[HistoryRow]:
    inapp = list(inapp)
    message_ids = [d.message_id for d in inapp]
    mine = Q(user_id=actor.pk)
    if actor.cadre_id:
        mine |= Q(user__isnull=True, cadre_id=actor.cadre_id)
    # scope: the person's own deliveries of these messages
    external = Delivery._base_manager.filter(mine, message_id__in=message_ids).exclude(
        channel=INAPP
    )
    by_message: dict[int, list[tuple[str, Delivery]]] = {}
    for d in external.order_by("channel"):
        by_message.setdefault(d.message_id, []).append((d.channel, d))
    read: dict[int, datetime] = {}
    notice_q = Q(user_id=actor.pk)
    if actor.cadre_id:
        notice_q |= Q(user__isnull=True, cadre_id=actor.cadre_id)
    # scope: the person's own notices (core.notices.inbox_q), by message
    notices = Notice._base_manager.filter(notice_q, message_id__in=message_ids)
    for message_id, at in notices.filter(read_at__isnull=False).values_list(
        "message_id", "read_at"
    ):
        read[message_id] = at
    return [
        HistoryRow(
            message=d.message,
            at=d.sent_at,
            read_at=read.get(d.message_id),
            channels=by_message.get(d.message_id, []),
        )
        for d in inapp
    ]
