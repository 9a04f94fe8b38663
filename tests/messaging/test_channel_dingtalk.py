"""钉钉 工作通知 (asyncsend_v2) against a local server speaking its API."""

import pytest

from ganxun.messaging.channels.base import Message, Refused, Retry
from ganxun.messaging.channels.dingtalk import DingtalkChannel
from tests.messaging.servers import FakeDingtalk, closed_port_url, serve

PLAIN = Message(
    title="请假已批准",
    body="您 3 月 5 日的请假已批准。",
    sms="3月5日请假已批准",
    url="",
    idempotency_key="dlv-1-dingtalk",
)
LINKED = Message(
    title="课程评价",
    body="今天的课程已结束，请评价。",
    sms="请评价今天的课程",
    url="https://ganxun.example.gov.cn/e/9",
    idempotency_key="dlv-2-dingtalk",
)


@pytest.fixture
def api():
    with serve(FakeDingtalk()) as fake:
        yield fake


def channel_for(api, **overrides) -> DingtalkChannel:
    settings = {
        "base_url": api.url,
        "appkey": FakeDingtalk.APPKEY,
        "appsecret": FakeDingtalk.APPSECRET,
        "agent_id": FakeDingtalk.AGENT_ID,
        "read_timeout": 0.3,
    }
    return DingtalkChannel(**{**settings, **overrides})


def test_given_no_link_when_sent_then_a_text_work_notice_is_queued(api):
    sent = channel_for(api).send(PLAIN, "manager01")

    assert sent.provider_id.isdigit()  # the task id
    (body,) = api.delivered
    assert body["agent_id"] == FakeDingtalk.AGENT_ID
    assert body["userid_list"] == "manager01"
    assert body["msg"] == {
        "msgtype": "text",
        "text": {"content": "请假已批准\n您 3 月 5 日的请假已批准。"},
    }


def test_given_a_link_when_sent_then_an_action_card_opens_it(api):
    channel_for(api).send(LINKED, "user02")
    card = api.delivered[0]["msg"]["action_card"]
    assert card["single_url"] == LINKED.url
    assert card["title"] == "课程评价"
    assert LINKED.sms in card["markdown"]


def test_the_token_is_cached_and_refreshed_when_stale(api):
    channel = channel_for(api)
    channel.send(PLAIN, "manager01")
    channel.send(LINKED, "manager01")
    assert api.token_requests == 1

    api.revoke_tokens("expired")  # errcode 88, sub_code 42001
    channel.send(PLAIN, "user02")
    api.revoke_tokens("revoked")  # errcode 40014
    channel.send(LINKED, "user02")

    assert api.token_requests == 3
    assert len(api.delivered) == 4


def test_a_token_still_refused_after_refreshing_is_retried(api, monkeypatch):
    channel = channel_for(api)
    channel.send(PLAIN, "manager01")
    monkeypatch.setattr(api, "issue", lambda: "never-valid")
    api.revoke_tokens()
    with pytest.raises(Retry, match="刷新后仍无效"):
        channel.send(PLAIN, "manager01")


def test_an_unknown_user_is_refused(api):
    with pytest.raises(Refused, match="33012"):
        channel_for(api).send(PLAIN, "nobody")


@pytest.mark.parametrize(("code", "outcome"), [(-1, Retry), (90018, Retry), (60121, Refused)])
def test_errcodes(api, code, outcome):
    channel = channel_for(api)
    channel.send(LINKED, "manager01")  # a token first
    api.fail("error", code=code)
    with pytest.raises(outcome, match=str(code)):
        channel.send(PLAIN, "manager01")


def test_refused_codes_from_the_settings(api):
    channel = channel_for(api, refused_codes=[40035])
    channel.send(LINKED, "manager01")
    api.fail("error", code=40035)
    with pytest.raises(Refused):
        channel.send(PLAIN, "manager01")


def test_a_wrong_secret_is_retried_with_the_reason(api):
    with pytest.raises(Retry, match="40089"):
        channel_for(api, appsecret="wrong").send(PLAIN, "manager01")


def test_500_timeout_non_json_and_no_server_are_retried(api):
    channel = channel_for(api)
    for kind, options in (("status", {"status": 500}), ("sleep", {"seconds": 1}), ("nonjson", {})):
        api.fail(kind, times=1, **options)
        with pytest.raises(Retry):
            channel.send(PLAIN, "manager01")
    with pytest.raises(Retry, match="无法连接"):
        channel_for(api, base_url=closed_port_url()).send(PLAIN, "manager01")
    assert api.delivered == []
