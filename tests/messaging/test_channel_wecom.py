"""企业微信 应用消息 against a local server speaking its API: token cached and refreshed,
text and textcard, duplicate check as the idempotency, errcodes → Retry or Refused."""

import time

import pytest

from ganxun.messaging.channels.base import Message, Refused, Retry
from ganxun.messaging.channels.wecom import WecomChannel
from tests.messaging.servers import FakeWecom, serve

PLAIN = Message(
    title="调训通知",
    body="请于 3 月 2 日到市委党校报到。",
    sms="3月2日到市委党校报到",
    url="",
    idempotency_key="dlv-7-wecom",
)
LINKED = Message(
    title="问卷待填写",
    body="2026 年培训需求调研已开始。",
    sms="培训需求调研已开始，请填写",
    url="https://ganxun.example.gov.cn/s/abc",
    idempotency_key="dlv-8-wecom",
)


@pytest.fixture
def api():
    with serve(FakeWecom()) as fake:
        yield fake


def channel_for(api, **overrides) -> WecomChannel:
    settings = {
        "base_url": api.url,
        "corpid": FakeWecom.CORPID,
        "corpsecret": FakeWecom.CORPSECRET,
        "agentid": str(FakeWecom.AGENTID),
        "read_timeout": 0.3,
    }
    return WecomChannel(**{**settings, **overrides})


def test_given_no_link_when_sent_then_a_text_message_reaches_the_user(api):
    sent = channel_for(api).send(PLAIN, " zhangsan ")

    assert sent.provider_id.startswith("msg-")
    (body,) = api.delivered
    assert body["touser"] == "zhangsan"
    assert body["agentid"] == FakeWecom.AGENTID
    assert body["msgtype"] == "text"
    assert body["text"]["content"] == "调训通知\n请于 3 月 2 日到市委党校报到。"
    assert body["enable_duplicate_check"] == 1


def test_given_a_link_when_sent_then_a_textcard_carries_it(api):
    channel_for(api).send(LINKED, "lisi")
    card = api.delivered[0]["textcard"]
    assert card["url"] == LINKED.url
    assert card["title"] == "问卷待填写"
    assert card["description"] == LINKED.sms


def test_the_token_is_fetched_once_and_reused(api):
    channel = channel_for(api)
    channel.send(PLAIN, "zhangsan")
    channel.send(LINKED, "zhangsan")
    assert api.token_requests == 1
    assert [s.path for s in api.seen].count("/cgi-bin/gettoken") == 1


@pytest.mark.parametrize("state", ["revoked", "expired"])  # errcode 40014 / 42001
def test_a_stale_token_is_refreshed_and_the_message_sent(api, state):
    channel = channel_for(api)
    channel.send(PLAIN, "zhangsan")
    api.revoke_tokens(state)

    channel.send(LINKED, "zhangsan")

    assert api.token_requests == 2
    assert len(api.delivered) == 2


def test_a_token_past_its_lifetime_is_fetched_again_without_a_failed_call():
    with serve(FakeWecom(lifetime=1)) as api:
        channel = channel_for(api)
        channel.send(PLAIN, "zhangsan")
        time.sleep(1.0)
        channel.send(LINKED, "zhangsan")
        assert api.token_requests == 2
        used = [s.query["access_token"] for s in api.seen if s.path.endswith("/send")]
        assert len(used) == 2  # no call was refused for a stale token
        assert used[0] != used[1]


def test_a_retry_of_the_same_delivery_is_not_received_twice(api):
    channel = channel_for(api)
    channel.send(PLAIN, "zhangsan")
    channel.send(PLAIN, "zhangsan")  # the answer to the first was lost: the worker retries
    assert len(api.delivered) == 1


def test_an_unknown_user_is_refused(api):
    with pytest.raises(Refused, match="81013"):
        channel_for(api).send(PLAIN, "wangwu")


def test_an_invalid_user_id_is_refused_before_any_request(api):
    for bad in ("", "张三", "a" * 65, "x y"):
        with pytest.raises(Refused):
            channel_for(api).send(PLAIN, bad)
    assert api.seen == []


@pytest.mark.parametrize(
    ("code", "outcome"), [(-1, Retry), (45009, Retry), (40003, Refused), (60020, Retry)]
)
def test_errcodes(api, code, outcome):
    channel = channel_for(api)
    channel.send(PLAIN, "zhangsan")  # a token first
    api.fail("error", code=code)
    with pytest.raises(outcome, match=str(code)):
        channel.send(LINKED, "zhangsan")


def test_a_wrong_secret_is_retried_with_the_reason(api):
    with pytest.raises(Retry, match="40001"):
        channel_for(api, corpsecret="wrong").send(PLAIN, "zhangsan")


def test_500_timeout_and_non_json_are_retried(api):
    channel = channel_for(api)
    api.fail("status", status=502, times=1)
    with pytest.raises(Retry, match="502"):
        channel.send(PLAIN, "zhangsan")
    api.fail("sleep", seconds=1, times=1)
    with pytest.raises(Retry, match="超时"):
        channel.send(PLAIN, "zhangsan")
    api.fail("nonjson", times=1)
    with pytest.raises(Retry, match="不是 JSON"):
        channel.send(PLAIN, "zhangsan")
    channel.send(PLAIN, "zhangsan")
    assert len(api.delivered) == 1


def test_a_long_body_is_cut_to_2048_bytes():
    long = Message(title="通知", body="很长" * 2000, sms="短", url="", idempotency_key="k")
    with serve(FakeWecom()) as api:
        channel_for(api).send(long, "zhangsan")
        content = api.delivered[0]["text"]["content"]
        assert len(content.encode()) <= 2048
        assert content.endswith("…")


def test_a_base_url_with_a_trailing_slash(api):
    """政务微信 and other private deployments are configured by their base URL, as written."""
    channel = channel_for(api, base_url=api.url + "/")
    channel.send(PLAIN, "zhangsan")
    assert api.delivered


def test_a_user_named_invalid_in_a_successful_answer_is_refused(api, monkeypatch):
    """WeCom sends to the valid recipients and lists the others in ``invaliduser``."""
    monkeypatch.setattr(
        api,
        "route",
        lambda seen: (
            200,
            {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": "t",
                "expires_in": 7200,
                "invaliduser": "zhangsan",
            },
        ),
    )
    with pytest.raises(Refused, match="ZhangSan"):  # WeCom lists ids in lower case
        channel_for(api).send(PLAIN, "ZhangSan")


def test_threads_sending_at_once_share_one_token(api):
    import threading

    channel = channel_for(api, read_timeout=5)
    messages = [
        Message(title=f"通知 {i}", body="正文", sms="短信", url="", idempotency_key=f"k{i}")
        for i in range(8)
    ]
    threads = [threading.Thread(target=channel.send, args=(m, "zhangsan")) for m in messages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.token_requests == 1
    assert len(api.delivered) == 8
