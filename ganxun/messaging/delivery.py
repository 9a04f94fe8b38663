"""The worker's delivery loop: every channel's pending deliveries, sent at the channel's rate.

Each external channel has its own periodic task (``outbox-<code>``, ``core/periodic.py``), so
each runs in its own worker thread: a channel that is down or slow (SMTP timing out, a gateway
answering 500) never delays another, nor the request that wrote the message (that only wrote
rows). A round of one channel:

1. **claim** up to ``GANXUN_OUTBOX_BATCH`` due deliveries in one short transaction — pending
   and due, or ``sending`` with an expired lease (a worker killed mid-send) — setting them
   ``sending`` with a lease and this round's token (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so
   two workers take different rows; SQLite: one writer at a time, the token tells which rows
   this round won). Nothing is held locked while the network is used;
2. **send** each one outside any transaction through the channel
   (``channels.registry.channel(code)``), with the delivery's stable ``idempotency_key``;
3. **record** the result at once, one UPDATE per delivery guarded by the token: sent; or
   ``Retry`` → pending again after an exponential, capped backoff, failed once the attempts are
   used up; or ``Refused`` → failed at once with the reason (shown to the sender).

The channel's rate (``GANXUN_OUTBOX_RATES``) is counted in the counter every process shares
(``core/counters.py``), a claim's worth at once; what does not fit is handed back for the next
window.
In quiet hours (``GANXUN_OUTBOX_QUIET_HOURS``) only urgent kinds are claimed. After a
``Retry`` the channel rests for the rest of the round: its other claimed deliveries go back
untouched (no attempt counted).
"""

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core import counters
from ganxun.core.periodic import periodic
from ganxun.core.ratelimit import parse_rate
from ganxun.messaging.channels import registry
from ganxun.messaging.channels.base import Channel, Refused, Retry, Sent
from ganxun.messaging.channels.base import Message as Outgoing
from ganxun.messaging.models import Delivery
from ganxun.messaging.outbox import To

log = logging.getLogger(__name__)

CHANNELS = ("sms", "email", "wecom", "dingtalk", "zzd")
Status = Delivery.Status


@dataclass
class Round:
    """What one round of one channel did (tests and the bench read it)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    keys: list[str] = field(default_factory=list)


def _objects():
    # scope: the worker delivers every org's messages (it runs as SYSTEM); never user input
    return Delivery._base_manager


def in_quiet_hours(now: datetime | None = None) -> bool:
    spec = (settings.GANXUN_OUTBOX_QUIET_HOURS or "").strip()
    if not spec:
        return False
    start_text, _dash, end_text = spec.partition("-")
    start, end = clock.fromisoformat(start_text.strip()), clock.fromisoformat(end_text.strip())
    at = timezone.localtime(now).time()
    return start <= at < end if start <= end else at >= start or at < end


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: base · 2^(attempts-1), capped."""
    seconds = settings.GANXUN_OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.GANXUN_OUTBOX_BACKOFF_MAX_SECONDS))


def claim(code: str, limit: int, *, now: datetime | None = None) -> list[Delivery]:
    """Take up to ``limit`` due deliveries of channel ``code`` for this round (see above)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )
    lease = now + timedelta(seconds=settings.GANXUN_OUTBOX_LEASE_SECONDS)
    # A delivery whose every claim died with its worker (a message that kills the sender)
    # stops being retried, like one the channel keeps answering "later".
    _objects().filter(
        channel=code,
        status=Status.SENDING,
        lease_until__lt=now,
        attempts__gte=settings.GANXUN_OUTBOX_MAX_ATTEMPTS,
    ).update(status=Status.FAILED, lease_until=None, last_error=_("发送多次中断，已停止重试"))
    with transaction.atomic():
        candidates = _objects().filter(due, channel=code)
        if in_quiet_hours(now):
            candidates = candidates.filter(message__urgent=True)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(
            candidates.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        _objects().filter(due, pk__in=ids).update(
            status=Status.SENDING, lease_until=lease, claim=token, attempts=F("attempts") + 1
        )
    return list(_objects().filter(claim=token, status=Status.SENDING).select_related("message"))


def outgoing(delivery: Delivery) -> Outgoing:
    message = delivery.message
    url = delivery.url or message.url
    if url.startswith("/") and settings.GANXUN_SITE_URL:
        url = settings.GANXUN_SITE_URL.rstrip("/") + url
    return Outgoing(
        title=delivery.title or message.title,
        body=delivery.body or message.body,
        sms=delivery.sms or message.sms,
        url=url,
        idempotency_key=delivery.idempotency_key,
    )


def _finish(delivery: Delivery, **values) -> int:
    """Record a result, only if this round still holds the claim. On PostgreSQL the commit
    does not wait for the disk (``synchronous_commit off``, this transaction only): a worker
    killed after it loses nothing; a database server crash may forget the last fraction of a
    second of results, and those deliveries go again with the same idempotency key."""
    rows = _objects().filter(pk=delivery.pk, claim=delivery.claim, status=Status.SENDING)
    if connection.vendor != "postgresql":
        return rows.update(lease_until=None, **values)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return rows.update(lease_until=None, **values)


def record_sent(delivery: Delivery, sent: Sent, address: str) -> None:
    _finish(
        delivery,
        status=Status.SENT,
        sent_at=timezone.now(),
        provider_id=(sent.provider_id or "")[:200],
        last_error="",
        address=address,
    )


def record_retry(delivery: Delivery, reason: str, address: str = "") -> bool:
    """Pending again after the backoff, or failed when the attempts are used up; True if
    failed."""
    reason = reason[:400]
    if delivery.attempts >= settings.GANXUN_OUTBOX_MAX_ATTEMPTS:
        text = _("重试 %(n)s 次仍未发出：%(reason)s") % {"n": delivery.attempts, "reason": reason}
        _finish(delivery, status=Status.FAILED, last_error=text[:500], address=address)
        return True
    _finish(
        delivery,
        status=Status.PENDING,
        next_attempt_at=timezone.now() + backoff(delivery.attempts),
        last_error=reason,
        address=address,
    )
    return False


def record_refused(delivery: Delivery, reason: str, address: str = "") -> None:
    _finish(delivery, status=Status.FAILED, last_error=reason[:500], address=address)


def release(deliveries: list[Delivery], *, until: datetime | None = None) -> int:
    """Hand claimed, unsent deliveries back (rate reached, channel resting): no attempt
    counted."""
    if not deliveries:
        return 0
    return (
        _objects()
        .filter(pk__in=[d.pk for d in deliveries], claim=deliveries[0].claim, status=Status.SENDING)
        .update(
            status=Status.PENDING,
            lease_until=None,
            next_attempt_at=until or timezone.now(),
            attempts=F("attempts") - 1,
        )
    )


class Rate:
    """The channel's rate in the shared counter: one increment per message sent."""

    def __init__(self, code: str):
        spec = settings.GANXUN_OUTBOX_RATES.get(code, "")
        self.code = code
        self.limit, self.window = parse_rate(spec) if spec else (0, 0)

    def _bucket(self) -> tuple[str, int]:
        start = int(time.time()) // self.window * self.window
        return f"outbox:{self.code}:{self.window}:{start}", start + self.window

    def room(self) -> int:
        """How many may still go in this window (a large number when unlimited)."""
        if not self.limit:
            return 1_000_000
        bucket, _end = self._bucket()
        return max(self.limit - counters.current(bucket), 0)

    def take(self, n: int) -> int:
        """Take ``n`` messages' worth of this window in one increment; how many fit."""
        if not self.limit or not n:
            return n
        bucket, end = self._bucket()
        total = counters.increment(bucket, end, n)
        return max(0, n - max(0, total - self.limit))

    def window_end(self) -> datetime:
        _bucket, end = self._bucket() if self.limit else ("", int(time.time()))
        return datetime.fromtimestamp(end, tz=UTC)


def send_one(channel: Channel, delivery: Delivery, result: Round) -> bool:
    """Send one claimed delivery and record how it went; False when the channel should rest."""
    from ganxun.messaging import preferences

    to = To(user_id=delivery.user_id, cadre_id=delivery.cadre_id)
    address = ""
    try:
        address = preferences.address_for(to, delivery.channel)
        if not address:
            raise Refused(_("收件人没有可用的%(channel)s地址") % {"channel": channel.label})
        address = channel.check_address(address)
        sent = channel.send(outgoing(delivery), address)
    except Refused as exc:
        record_refused(delivery, str(exc) or _("渠道拒绝了这条消息"), address)
        result.failed += 1
        return True
    except Retry as exc:
        failed = record_retry(delivery, str(exc) or _("渠道暂时不可用"), address)
        result.failed += failed
        result.retried += not failed
        return False
    except Exception as exc:  # a channel's bug: logged, retried like an outage
        log.exception("channel %s failed on delivery %s", delivery.channel, delivery.pk)
        failed = record_retry(delivery, _("发送出错：%(error)s") % {"error": type(exc).__name__})
        result.failed += failed
        result.retried += not failed
        return False
    record_sent(delivery, sent, address)
    result.sent += 1
    result.keys.append(delivery.idempotency_key)
    return True


def deliver_channel(code: str, *, budget_seconds: float | None = None) -> Round:
    """One round of channel ``code``: claim, send, record until nothing is due, the rate's
    window is used up for longer than the round may wait, or the channel rests."""
    result = Round()
    channel = registry.channel(code)
    if channel is None:
        return result
    rate = Rate(code)
    budget = settings.GANXUN_OUTBOX_ROUND_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        room = rate.room()
        if room <= 0:
            wait = (rate.window_end() - timezone.now()).total_seconds()
            if time.monotonic() + wait > deadline:
                break
            time.sleep(max(wait, 0.01))
            continue
        batch = claim(code, min(settings.GANXUN_OUTBOX_BATCH, room))
        if not batch:
            break
        granted = rate.take(len(batch))
        if granted < len(batch):  # another worker used the window meanwhile
            result.released += release(batch[granted:], until=rate.window_end())
            batch = batch[:granted]
        for index, delivery in enumerate(batch):
            if not send_one(channel, delivery, result):  # the channel is down: rest
                result.released += release(batch[index + 1 :])
                return result
    return result


def _register(code: str) -> None:
    @periodic(f"outbox-{code}", every=timedelta(seconds=settings.GANXUN_OUTBOX_POLL_SECONDS))
    def deliver() -> None:
        deliver_channel(code)


for _code in CHANNELS:
    _register(_code)
