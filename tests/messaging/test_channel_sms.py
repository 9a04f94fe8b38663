"""SMS: the generic HTTP gateway and Aliyun 短信服务 against local servers speaking their APIs;
the mobile-number check."""

import time

import pytest

from ganxun.messaging.channels.base import Message, Refused, Retry
from ganxun.messaging.channels.sms import AliyunSmsChannel, HttpSmsChannel
from tests.messaging.servers import FakeAliyunSms, FakeSmsGateway, closed_port_url, serve

MESSAGE = Message(
    title="培训通知",
    body="您已被确定参加 2026 年乡镇干部培训班，请于 3 月 2 日 8:30 到市委党校报到。",
    sms="您已被确定参加乡镇干部培训班，3月2日8:30到市委党校报到。",
    url="https://ganxun.example.gov.cn/m/1",
    idempotency_key="dlv-42-sms",
)


@pytest.fixture
def gateway():
    with serve(FakeSmsGateway()) as api:
        yield api


@pytest.fixture
def aliyun():
    with serve(FakeAliyunSms()) as api:
        yield api


def gateway_channel(api, **overrides) -> HttpSmsChannel:
    settings = {
        "url": f"{api.url}/api/sms/send",
        "headers": {"Authorization": f"Bearer {FakeSmsGateway.TOKEN}", "X-Request-Id": "{key}"},
        "body": {
            "account": "ganxun",
            "mobile": "{phone}",
            "content": "【甬江市委组织部】{text}",
            "requestId": "{key}",
        },
        "success_path": "code",
        "success_value": "0",
        "id_path": "data.msgId",
        "message_path": "msg",
        "refused_values": ["1002"],
        "read_timeout": 0.3,
        "connect_timeout": 0.3,
        **overrides,
    }
    return HttpSmsChannel(**settings)


class TestMobileNumbers:
    @pytest.mark.parametrize(
        "raw",
        [
            "13800138000",
            "+86 138 0013 8000",
            "0086-138-0013-8000",
            "86 13800138000",
            "138-0013-8000",
        ],
    )
    def test_mainland_mobiles_are_normalised(self, raw):
        assert HttpSmsChannel(url="http://x").check_address(raw) == "13800138000"

    @pytest.mark.parametrize(
        ("raw", "says"),
        [
            ("0574-87654321", "固定电话"),
            ("87654321", "固定电话"),
            ("1380013800", "11 位"),
            ("138001380001", "11 位"),
            ("12800138000", "不是大陆手机号码"),
            ("138OO138000", "数字"),
            ("", "没有手机号码"),
        ],
    )
    def test_landlines_and_wrong_lengths_are_refused_with_a_reason(self, raw, says):
        with pytest.raises(Refused, match=says):
            HttpSmsChannel(url="http://x").check_address(raw)

    def test_a_bad_number_is_refused_before_any_request(self, gateway):
        with pytest.raises(Refused):
            gateway_channel(gateway).send(MESSAGE, "0574-87654321")
        assert gateway.seen == []


class TestGenericGateway:
    def test_given_a_json_template_when_sent_then_the_gateway_gets_the_filled_fields(self, gateway):
        sent = gateway_channel(gateway).send(MESSAGE, "+86 138 0013 8000")

        assert sent.provider_id == "gw-1"
        (seen,) = gateway.seen
        assert seen.json == {
            "account": "ganxun",
            "mobile": "13800138000",
            "content": "【甬江市委组织部】" + MESSAGE.sms,
            "requestId": "dlv-42-sms",
        }
        assert seen.headers["x-request-id"] == "dlv-42-sms"

    def test_a_text_with_quotes_and_braces_stays_valid_json(self, gateway):
        tricky = Message(
            title="t", body="b", sms='请带"笔记本"和{证件}\n准时', url="", idempotency_key="k1"
        )
        gateway_channel(gateway).send(tricky, "13800138000")
        assert gateway.delivered[0]["content"].endswith('请带"笔记本"和{证件}\n准时')

    def test_a_form_body_and_a_query_template(self, gateway):
        channel = gateway_channel(
            gateway,
            body_format="form",
            query={"sig": "{timestamp}"},
        )
        channel.send(MESSAGE, "13800138000")
        (seen,) = gateway.seen
        assert seen.form["mobile"] == "13800138000"
        assert seen.query["sig"].isdigit()

    def test_a_retry_with_the_same_key_is_not_sent_twice(self, gateway):
        channel = gateway_channel(gateway)
        first = channel.send(MESSAGE, "13800138000")
        second = channel.send(MESSAGE, "13800138000")
        assert first == second
        assert len(gateway.delivered) == 1

    def test_http_500_is_retried(self, gateway):
        gateway.fail("status", status=500)
        with pytest.raises(Retry, match="500"):
            gateway_channel(gateway).send(MESSAGE, "13800138000")

    def test_a_timeout_is_retried_within_the_read_timeout(self, gateway):
        gateway.fail("sleep", seconds=1.5)
        channel = gateway_channel(gateway, connect_timeout=5, read_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(Retry, match="超时"):
            channel.send(MESSAGE, "13800138000")
        assert time.monotonic() - started < 1.2

    def test_a_2xx_answer_that_is_not_json_is_retried_and_says_so(self, gateway):
        gateway.fail("nonjson")
        with pytest.raises(Retry, match=r"HTTP 200.*不是 JSON"):
            gateway_channel(gateway).send(MESSAGE, "13800138000")

    def test_a_gateway_that_is_not_listening_is_retried(self):
        channel = HttpSmsChannel(url=closed_port_url() + "/send", body={"m": "{phone}"})
        with pytest.raises(Retry, match="无法连接"):
            channel.send(MESSAGE, "13800138000")

    def test_a_refused_value_is_refused_and_others_are_retried(self, gateway):
        gateway.fail("error", code="1002", times=1)
        with pytest.raises(Refused, match="1002"):
            gateway_channel(gateway).send(MESSAGE, "13800138000")
        gateway.fail("error", code="9001", times=1)  # e.g. 余额不足: for later
        with pytest.raises(Retry, match="9001"):
            gateway_channel(gateway).send(MESSAGE, "13800138000")

    def test_wrong_credentials_are_retried_with_the_reason(self, gateway):
        channel = gateway_channel(gateway, headers={"Authorization": "Bearer wrong"})
        with pytest.raises(Retry, match="401"):
            channel.send(MESSAGE, "13800138000")

    def test_a_400_is_refused(self, gateway):
        empty = Message(title="", body="", sms="x", url="", idempotency_key="k")
        channel = gateway_channel(gateway, body={"mobile": "{phone}", "content": ""})
        with pytest.raises(Refused, match="HTTP 400"):
            channel.send(empty, "13800138000")

    def test_through_a_proxy(self, gateway):
        """The proxy (here the fake itself) gets the absolute URL of a host it alone reaches."""
        channel = gateway_channel(
            gateway, url="http://sms.intranet.invalid/api/sms/send", proxy=gateway.url
        )
        channel.send(MESSAGE, "13800138000")
        assert (
            gateway.seen[0].headers["x-requested-url"] == "http://sms.intranet.invalid/api/sms/send"
        )

    def test_the_environment_proxy_is_ignored_unless_asked_for(self, gateway, monkeypatch):
        monkeypatch.setenv("http_proxy", closed_port_url())
        monkeypatch.setenv("HTTP_PROXY", closed_port_url())
        gateway_channel(gateway).send(MESSAGE, "13800138000")
        with pytest.raises(Retry):
            gateway_channel(gateway, proxy="env").send(MESSAGE, "13800138000")

    def test_a_get_gateway_takes_everything_in_the_query(self, gateway):
        channel = gateway_channel(gateway, method="GET", body_format="none", query={"m": "{phone}"})
        with pytest.raises(Refused, match="HTTP 404"):  # the fake only takes POST
            channel.send(MESSAGE, "13800138000")
        assert gateway.seen[0].query == {"m": "13800138000"}
        assert gateway.seen[0].body == b""

    def test_unknown_placeholders_are_a_configuration_error(self):
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured, match="phoen"):
            HttpSmsChannel(url="http://x", body={"mobile": "{phoen}"})

    def test_nothing_but_retry_or_refused_escapes(self, gateway, monkeypatch):
        channel = gateway_channel(gateway)
        monkeypatch.setattr(channel.client, "call", lambda *a, **k: 1 / 0)
        with pytest.raises(Retry, match="ZeroDivisionError"):
            channel.send(MESSAGE, "13800138000")


def aliyun_channel(api, **overrides) -> AliyunSmsChannel:
    settings = {
        "endpoint": api.url + "/",
        "access_key_id": FakeAliyunSms.ACCESS_KEY_ID,
        "access_key_secret": FakeAliyunSms.ACCESS_KEY_SECRET,
        "sign_name": FakeAliyunSms.SIGN_NAME,
        "template_code": FakeAliyunSms.TEMPLATE_CODE,
        "template_param": {"content": "{text}"},
        "read_timeout": 0.3,
    }
    return AliyunSmsChannel(**{**settings, **overrides})


class TestAliyun:
    def test_a_signed_send_sms_is_accepted(self, aliyun):
        sent = aliyun_channel(aliyun).send(MESSAGE, "+86 13800138000")

        assert sent.provider_id.endswith("^0")
        (delivered,) = aliyun.delivered
        assert delivered == {
            "phone": "13800138000",
            "param": {"content": MESSAGE.sms},
            "out_id": "dlv-42-sms",
        }

    def test_a_wrong_secret_does_not_match_and_is_retried(self, aliyun):
        channel = aliyun_channel(aliyun, access_key_secret="not-the-secret")
        with pytest.raises(Retry, match="SignatureDoesNotMatch"):
            channel.send(MESSAGE, "13800138000")

    def test_each_request_has_a_fresh_nonce(self, aliyun):
        channel = aliyun_channel(aliyun)
        channel.send(MESSAGE, "13800138000")
        channel.send(MESSAGE, "13900139000")
        assert len(aliyun.delivered) == 2

    @pytest.mark.parametrize(
        ("code", "outcome"),
        [
            ("isv.MOBILE_NUMBER_ILLEGAL", Refused),
            ("isv.BLACK_KEY_CONTROL_LIMIT", Refused),
            ("isv.BUSINESS_LIMIT_CONTROL", Retry),
            ("Throttling.User", Retry),
            ("isp.SYSTEM_ERROR", Retry),
            ("isv.AMOUNT_NOT_ENOUGH", Retry),
        ],
    )
    def test_provider_codes(self, aliyun, code, outcome):
        aliyun.fail("error", code=code)
        with pytest.raises(outcome, match=code.replace(".", r"\.")):
            aliyun_channel(aliyun).send(MESSAGE, "13800138000")

    def test_500_timeout_and_non_json_are_retried(self, aliyun):
        channel = aliyun_channel(aliyun)
        for failure in (
            {"kind": "status", "status": 503},
            {"kind": "sleep", "seconds": 1},
            {"kind": "nonjson"},
        ):
            aliyun.heal()
            aliyun.fail(failure.pop("kind"), **failure)
            with pytest.raises(Retry):
                channel.send(MESSAGE, "13800138000")
        assert aliyun.delivered == []
