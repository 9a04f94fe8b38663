"""What the outbox tests share: preferences that give chosen channels and addresses, channels
that count and can be made to fail, and an SMTP server (aiosmtpd) run by the test."""

import threading
import time
from dataclasses import dataclass, field

import pytest

from ganxun.messaging import preferences
from ganxun.messaging.channels import registry
from ganxun.messaging.channels.base import Channel, Refused, Retry, Sent


def use_preferences(monkeypatch, channels=("sms",), addresses=None):
    """Everybody gets ``channels``; addresses from ``addresses`` ({(code, user_id or cadre_id):
    address}), else a made-up one per recipient."""
    addresses = addresses or {}

    def channels_for(to, *, kind, org_id):
        return list(channels)

    def address_for(to, channel):
        who = to.user_id if to.user_id is not None else to.cadre_id
        if (channel, who) in addresses:
            return addresses[(channel, who)]
        return f"r{who}@example.cn" if channel == "email" else f"1380000{who:04d}"

    monkeypatch.setattr(preferences, "channels_for", channels_for)
    # the outbox asks a batch's Chooser (one lookup per batch, not per recipient)
    monkeypatch.setattr(preferences.Chooser, "channels", lambda self, to: list(channels))
    monkeypatch.setattr(preferences, "address_for", address_for)


class FakeChannel(Channel):
    """Counts what it sends; ``mode`` "ok", "retry", "refuse" or "slow" (sleeps, then ok)."""

    label = "测试渠道"

    def __init__(self, code="sms", mode="ok", **settings):
        super().__init__(**settings)
        self.code = code
        self.mode = mode
        self.sent: list[tuple[str, str]] = []  # (idempotency key, address)
        self.lock = threading.Lock()

    def send(self, message, address):
        if self.mode == "retry":
            raise Retry("网关返回 500")
        if self.mode == "refuse":
            raise Refused("号码不是手机号")
        if self.mode == "slow":
            time.sleep(0.2)
        with self.lock:
            self.sent.append((message.idempotency_key, address))
        return Sent(provider_id=f"p-{len(self.sent)}")


def use_channels(monkeypatch, **channels: Channel):
    monkeypatch.setattr(registry, "channel", lambda code: channels.get(code))
    return channels


# --- a real SMTP server --------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    rcpt: list[str]
    subject: str
    body: str


@dataclass
class SmtpHandler:
    """aiosmtpd handler: records each message; ``rcpt_reply`` refuses recipients (e.g.
    "451 4.3.0 try later" or "550 5.1.1 no such user") while set."""

    received: list[Received] = field(default_factory=list)
    rcpt_reply: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.header import decode_header, make_header

        mail = message_from_bytes(envelope.content)
        payload = mail.get_payload(decode=True) or b""
        with self.lock:
            self.received.append(
                Received(
                    message_id=mail["Message-ID"],
                    rcpt=list(envelope.rcpt_tos),
                    subject=str(make_header(decode_header(mail["Subject"]))),
                    body=payload.decode(mail.get_content_charset() or "utf-8"),
                )
            )
        return "250 Message accepted"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = SmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port  # type: ignore[attr-defined]
    try:
        yield handler
    finally:
        controller.stop()


def email_settings(port: int) -> dict:
    return {"host": "127.0.0.1", "port": port, "from": "peixun@zzb.gov.cn", "timeout": 5}
