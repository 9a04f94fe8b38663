"""What a delivery channel is (SMS, e-mail, 企业微信, 钉钉, 浙政钉): a class that sends one
message to one address and says how it went.

CONTRACT (session 5): the outbox's worker builds a channel from its settings
(``GANXUN_CHANNELS[code]``, a dict) and calls ``send`` for each due delivery, outside any
database transaction. ``send`` returns a ``Sent`` (the provider's message id when it gives one)
or raises ``Retry`` (the channel or provider is down, timed out, throttled: try again later with
backoff) or ``Refused`` (this message can never go: a malformed address, a text the provider
rejects; the sender sees the reason). ``idempotency_key`` is stable across retries of the same
delivery: channels whose provider accepts one pass it on (a request id, an OutId, a
Message-ID), so a retry after a crash never sends twice where the provider can tell.
``check_address`` validates an address before anything is written (a mobile number for SMS, an
e-mail address for e-mail) and returns it normalised, or raises ``Refused``."""

from dataclasses import dataclass
from typing import ClassVar


class Retry(Exception):
    """Delivery failed for now (network, 5xx, timeout, rate limit): try again later."""


class Refused(Exception):
    """Delivery can never succeed for this message or address; ``str(exc)`` says why (Chinese)."""


@dataclass(frozen=True)
class Message:
    """What one recipient receives on one channel."""

    title: str
    body: str
    sms: str  # the short text for SMS and work-app cards
    url: str  # absolute link to act on it ('' when none)
    idempotency_key: str


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""


class Channel:
    code: ClassVar[str]  # "sms", "email", "wecom", "dingtalk", "zzd"
    label: ClassVar[str]  # shown to people, translatable

    def __init__(self, **settings):
        self.settings = settings

    def check_address(self, address: str) -> str:
        return address.strip()

    def send(self, message: Message, address: str) -> Sent:
        raise NotImplementedError
