"""浙政钉 工作通知 against a local server speaking the gateway's signed API (the shape
described in zzd.py, including what is assumed there)."""

import pytest

from ganxun.messaging.channels.base import Message, Refused, Retry
from ganxun.messaging.channels.zzd import ZzdChannel
from tests.messaging.servers import FakeZzd, serve

PLAIN = Message(
    title="结业通知",
    body="您已完成培训，可下载结业证书。",
    sms="已完成培训，可下载证书",
    url="",
    idempotency_key="dlv-3-zzd",
)
LINKED = Message(
    title="课程调整",
    body="周六的课改到 302 教室。",
    sms="周六课程改到302教室",
    url="https://ganxun.example.gov.cn/p/3",
    idempotency_key="dlv-4-zzd",
)


@pytest.fixture
def api():
    with serve(FakeZzd()) as fake:
        yield fake


def channel_for(api, **overrides) -> ZzdChannel:
    settings = {
        "base_url": api.url,
        "app_key": FakeZzd.APP_KEY,
        "app_secret": FakeZzd.APP_SECRET,
        "tenant_id": FakeZzd.TENANT_ID,
        "client_ip": "10.1.2.3",
        "read_timeout": 0.3,
    }
    return ZzdChannel(**{**settings, **overrides})


def test_given_a_signed_request_when_sent_then_the_gateway_accepts_it(api):
    sent = channel_for(api).send(PLAIN, "1234567")

    assert sent.provider_id.startswith("zzd-")
    (delivered,) = api.delivered
    assert delivered["tenantId"] == FakeZzd.TENANT_ID
    assert delivered["receiverIds"] == "1234567"
    assert delivered["bizMsgId"] == "dlv-3-zzd"
    assert delivered["msg"] == {
        "msgtype": "text",
        "text": {"content": "结业通知\n您已完成培训，可下载结业证书。"},
    }
    assert api.seen[0].headers["x-hmac-auth-ip"] == "10.1.2.3"


def test_a_link_goes_as_an_action_card(api):
    channel_for(api).send(LINKED, "7654321")
    card = api.delivered[0]["msg"]["action_card"]
    assert card["single_url"] == LINKED.url


def test_a_wrong_secret_fails_the_signature_and_is_retried(api):
    with pytest.raises(Retry, match="签名不匹配"):
        channel_for(api, app_secret="wrong").send(PLAIN, "1234567")


def test_a_retry_with_the_same_biz_msg_id_counts_as_sent_once(api):
    channel = channel_for(api)
    channel.send(PLAIN, "1234567")
    again = channel.send(PLAIN, "1234567")  # "业务消息id重复"
    assert again.provider_id == ""
    assert len(api.delivered) == 1


def test_failures_are_retried_unless_configured_as_refused(api):
    with pytest.raises(Retry, match="240111"):
        channel_for(api).send(PLAIN, "999")
    with pytest.raises(Refused, match="240111"):
        channel_for(api, refused_codes=["240111"]).send(LINKED, "999")


def test_500_timeout_and_non_json_are_retried(api):
    channel = channel_for(api)
    for kind, options in (("status", {"status": 500}), ("sleep", {"seconds": 1}), ("nonjson", {})):
        api.fail(kind, times=1, **options)
        with pytest.raises(Retry):
            channel.send(PLAIN, "1234567")
    assert api.delivered == []
    channel.send(PLAIN, "1234567")
    assert len(api.delivered) == 1


def test_an_inner_content_given_as_a_json_string_is_read(api, monkeypatch):
    original = api.route

    def stringified(seen):
        status, doc = original(seen)
        import json

        return status, {**doc, "content": json.dumps(doc["content"], ensure_ascii=False)}

    monkeypatch.setattr(api, "route", stringified)
    assert channel_for(api).send(PLAIN, "1234567").provider_id.startswith("zzd-")


def test_account_ids_are_checked(api):
    with pytest.raises(Refused, match="未绑定浙政钉"):
        channel_for(api).send(PLAIN, "  ")
