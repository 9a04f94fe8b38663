"""The registry builds the configured channels from settings.GANXUN_CHANNELS, once per process,
leaving out (and naming) a bad entry; the environment gives the settings as a file or JSON."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ganxun.config.env import channels_config
from ganxun.messaging.channels import registry
from ganxun.messaging.channels.dingtalk import DingtalkChannel
from ganxun.messaging.channels.sms import AliyunSmsChannel, HttpSmsChannel
from ganxun.messaging.channels.wecom import WecomChannel
from ganxun.messaging.channels.zzd import ZzdChannel

WECOM = {"corpid": "ww1", "corpsecret": "s", "agentid": "1000002"}
DINGTALK = {"appkey": "k", "appsecret": "s", "agent_id": 1}
ZZD = {"app_key": "k", "app_secret": "s", "tenant_id": "1"}
GATEWAY = {"url": "http://10.0.0.5/sms", "body": {"m": "{phone}", "t": "{text}"}}
ALIYUN = {
    "provider": "aliyun",
    "access_key_id": "id",
    "access_key_secret": "secret",
    "sign_name": "甬江市委组织部",
    "template_code": "SMS_1",
}


@pytest.fixture(autouse=True)
def fresh():
    registry.reset()
    yield
    registry.reset()


def test_nothing_configured_offers_nothing():
    with override_settings(GANXUN_CHANNELS={}):
        assert registry.configured_channels() == {}
        assert registry.channel("sms") is None


def test_each_code_gets_its_class():
    config = {"sms": GATEWAY, "wecom": WECOM, "dingtalk": DINGTALK, "zzd": ZZD}
    with override_settings(GANXUN_CHANNELS=config):
        channels = registry.configured_channels()
    assert {code: type(c) for code, c in channels.items()} == {
        "sms": HttpSmsChannel,
        "wecom": WecomChannel,
        "dingtalk": DingtalkChannel,
        "zzd": ZzdChannel,
    }
    assert channels["wecom"].code == "wecom"


def test_the_sms_provider_picks_aliyun():
    with override_settings(GANXUN_CHANNELS={"sms": ALIYUN}):
        assert isinstance(registry.channel("sms"), AliyunSmsChannel)


def test_channels_are_built_once_per_settings_object():
    with override_settings(GANXUN_CHANNELS={"wecom": WECOM}):
        first = registry.channel("wecom")
        assert registry.channel("wecom") is first  # its token cache is shared
    with override_settings(GANXUN_CHANNELS={"wecom": WECOM}):
        assert registry.channel("wecom") is not first


def test_a_bad_entry_is_left_out_and_named_and_the_others_still_work():
    config = {
        "wecom": {"corpid": "ww1"},  # no secret
        "zzd": {**DINGTALK},  # settings of another app
        "fax": {"url": "x"},  # no such channel
        "sms": {**GATEWAY, "provider": "tencent"},  # no such provider
        "dingtalk": DINGTALK,
    }
    with override_settings(GANXUN_CHANNELS=config):
        assert list(registry.configured_channels()) == ["dingtalk"]
        found = "\n".join(registry.problems())
    assert "wecom" in found and "corpsecret" in found
    assert "unknown provider 'tencent'" in found
    assert "fax" in found
    assert "zzd" in found and "app_key" in found


def test_an_unknown_placeholder_is_named():
    with override_settings(GANXUN_CHANNELS={"sms": {**GATEWAY, "body": {"m": "{mobile}"}}}):
        assert registry.channel("sms") is None
        assert "mobile" in registry.problems()[0]


def test_an_agent_id_that_is_not_a_number_is_named():
    with override_settings(GANXUN_CHANNELS={"wecom": {**WECOM, "agentid": "abc"}}):
        assert registry.channel("wecom") is None
        assert "agentid" in registry.problems()[0]


def test_a_disabled_entry_is_not_offered():
    with override_settings(GANXUN_CHANNELS={"wecom": {**WECOM, "enabled": False}}):
        assert registry.configured_channels() == {}
        assert registry.problems() == []


def test_email_is_the_outbox_helpers_class_by_dotted_path():
    assert registry.CHANNEL_CLASSES["email"] == "ganxun.messaging.channels.email.EmailChannel"


def test_a_class_can_be_plugged_in_by_dotted_path():
    custom = {**GATEWAY, "class": "ganxun.messaging.channels.sms.HttpSmsChannel"}
    with override_settings(GANXUN_CHANNELS={"sms": custom}):
        assert isinstance(registry.channel("sms"), HttpSmsChannel)
    with override_settings(GANXUN_CHANNELS={"sms": {**GATEWAY, "class": "builtins.dict"}}):
        assert registry.channel("sms") is None
        assert "not a Channel" in registry.problems()[0]


class TestEnvironment:
    def test_none_set_means_no_channels(self, monkeypatch):
        monkeypatch.delenv("GANXUN_CHANNELS_FILE", raising=False)
        monkeypatch.delenv("GANXUN_CHANNELS_JSON", raising=False)
        assert channels_config() == {}

    def test_inline_json(self, monkeypatch):
        monkeypatch.delenv("GANXUN_CHANNELS_FILE", raising=False)
        monkeypatch.setenv("GANXUN_CHANNELS_JSON", json.dumps({"wecom": WECOM}))
        assert channels_config() == {"wecom": WECOM}

    def test_a_file_wins_over_inline_json(self, monkeypatch, tmp_path):
        path = tmp_path / "channels.json"
        path.write_text(json.dumps({"zzd": ZZD}, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setenv("GANXUN_CHANNELS_FILE", str(path))
        monkeypatch.setenv("GANXUN_CHANNELS_JSON", json.dumps({"wecom": WECOM}))
        assert channels_config() == {"zzd": ZZD}

    @pytest.mark.parametrize("raw", ["{not json", "[]", '{"sms": "http://x"}'])
    def test_malformed_settings_stop_the_start_with_the_reason(self, monkeypatch, raw):
        monkeypatch.delenv("GANXUN_CHANNELS_FILE", raising=False)
        monkeypatch.setenv("GANXUN_CHANNELS_JSON", raw)
        with pytest.raises(ImproperlyConfigured, match="GANXUN_CHANNELS_JSON"):
            channels_config()

    def test_a_missing_file_is_named(self, monkeypatch, tmp_path):
        monkeypatch.setenv("GANXUN_CHANNELS_FILE", str(tmp_path / "nope.json"))
        with pytest.raises(ImproperlyConfigured, match=r"nope\.json"):
            channels_config()
