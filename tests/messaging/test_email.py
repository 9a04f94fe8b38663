"""The e-mail channel against a real SMTP server (aiosmtpd) run by the test: delivered with
the Message-ID made from the idempotency key; the server refusing for now → Retry; refusing
the recipient → Refused; a malformed address refused before connecting."""

import pytest

from ganxun.accounts.models import Role
from ganxun.messaging.channels.base import Message, Refused, Retry
from ganxun.messaging.channels.email import EmailChannel
from ganxun.messaging.delivery import deliver_channel
from ganxun.messaging.models import Delivery
from ganxun.messaging.outbox import To, send
from tests.factories import make_user
from tests.messaging.outbox_helpers import (
    email_settings,
    free_port,
    smtp_server,  # noqa: F401  (fixture)
    use_preferences,
)

MESSAGE = Message(
    title="培训通知",
    body="请于周六9点报到。",
    sms="",
    url="https://px.example.cn/x/",
    idempotency_key="ganxun-7-42",
)


def test_a_mail_arrives_with_its_key_as_message_id(smtp_server):  # noqa: F811
    channel = EmailChannel(**email_settings(smtp_server.port))
    sent = channel.send(MESSAGE, "zhang@example.cn")
    (mail,) = smtp_server.received
    assert mail.message_id == "<ganxun-7-42@zzb.gov.cn>" == sent.provider_id
    assert mail.rcpt == ["zhang@example.cn"] and mail.subject == "培训通知"
    assert "请于周六9点报到。" in mail.body and "https://px.example.cn/x/" in mail.body


def test_the_server_refusing_for_now_is_a_retry(smtp_server):  # noqa: F811
    smtp_server.rcpt_reply = "451 4.3.0 Mailbox busy, try later"
    with pytest.raises(Retry, match="451"):
        EmailChannel(**email_settings(smtp_server.port)).send(MESSAGE, "zhang@example.cn")


def test_no_server_is_a_retry():
    with pytest.raises(Retry):
        EmailChannel(**email_settings(free_port())).send(MESSAGE, "zhang@example.cn")


def test_a_refused_recipient_is_refused_with_the_servers_reason(smtp_server):  # noqa: F811
    smtp_server.rcpt_reply = "550 5.1.1 No such user"
    with pytest.raises(Refused, match="No such user"):
        EmailChannel(**email_settings(smtp_server.port)).send(MESSAGE, "nobody@example.cn")


@pytest.mark.parametrize("address", ["zhang", "zhang@", "张三@例子", "a b@example.cn", ""])
def test_a_malformed_address_is_refused_before_connecting(address):
    with pytest.raises(Refused, match="格式不正确"):
        EmailChannel(host="127.0.0.1", port=1).check_address(address)


@pytest.mark.django_db
@pytest.mark.usefixtures("unscoped_block")
def test_the_loop_delivers_the_good_and_reports_the_bad(
    city,
    monkeypatch,
    settings,
    smtp_server,  # noqa: F811
):
    # given three recipients by e-mail, one with a malformed address
    settings.GANXUN_OUTBOX_QUIET_HOURS = ""
    settings.GANXUN_OUTBOX_RATES = {}
    settings.GANXUN_CHANNELS = {"email": email_settings(smtp_server.port)}
    users = [make_user(city.town_a1, Role.TRAINEE) for _ in range(3)]
    use_preferences(monkeypatch, channels=("email",), addresses={("email", users[1].pk): "li@"})
    send(kind="test_notice", to=[To.user(u) for u in users], context={"title": "通知"})
    # when the worker's e-mail loop runs
    result = deliver_channel("email", budget_seconds=10)
    # then two mails arrived, and the third is failed with a reason the sender can read
    assert (result.sent, result.failed) == (2, 1)
    assert len(smtp_server.received) == 2
    bad = Delivery.objects.get(channel="email", user=users[1])
    assert bad.status == "failed" and "li@" in bad.last_error
    keys = {d.idempotency_key for d in Delivery.objects.filter(channel="email", status="sent")}
    assert {m.message_id.strip("<>").split("@")[0] for m in smtp_server.received} == keys


@pytest.mark.django_db
@pytest.mark.usefixtures("unscoped_block")
def test_while_the_server_refuses_the_mail_waits_then_goes(
    city,
    monkeypatch,
    settings,
    smtp_server,  # noqa: F811
):
    from django.utils import timezone

    settings.GANXUN_OUTBOX_QUIET_HOURS = ""
    settings.GANXUN_OUTBOX_RATES = {}
    settings.GANXUN_CHANNELS = {"email": email_settings(smtp_server.port)}
    user = make_user(city.town_a1, Role.TRAINEE)
    use_preferences(monkeypatch, channels=("email",))
    send(kind="test_notice", to=[To.user(user)], context={"title": "通知"})
    smtp_server.rcpt_reply = "421 4.7.0 Try again later"
    assert deliver_channel("email", budget_seconds=5).retried == 1
    row = Delivery.objects.get(channel="email")
    assert row.status == "pending" and "421" in row.last_error
    smtp_server.rcpt_reply = ""
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_channel("email", budget_seconds=5).sent == 1
    assert len(smtp_server.received) == 1
