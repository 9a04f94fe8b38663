"""The delivery channels this installation offers, built once per process from
``settings.GANXUN_CHANNELS`` (code → settings dict; read from the environment by
``config/env.py``: ``GANXUN_CHANNELS_FILE``, a JSON file, or ``GANXUN_CHANNELS_JSON``).

A channel that is not configured is not offered. A channel whose settings are wrong (a missing
secret, an unknown placeholder) is left out and logged, so one bad entry never takes the other
channels down; ``problems()`` lists them for an operator's check.

In each channel's settings: ``"enabled": false`` keeps the entry but offers nothing;
``"provider"`` picks an implementation where there are several (sms: ``"http"`` — the generic
gateway, the default — or ``"aliyun"``); ``"class"`` (a dotted path) plugs in a subclass of
``Channel`` written for a gateway the generic adapter cannot describe."""

import logging
import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from ganxun.messaging.channels.base import Channel

log = logging.getLogger(__name__)

# code → the class by dotted path, imported only when configured ("email" is the outbox's)
CHANNEL_CLASSES: dict[str, str] = {
    "sms": "ganxun.messaging.channels.sms.HttpSmsChannel",
    "email": "ganxun.messaging.channels.email.EmailChannel",
    "wecom": "ganxun.messaging.channels.wecom.WecomChannel",
    "dingtalk": "ganxun.messaging.channels.dingtalk.DingtalkChannel",
    "zzd": "ganxun.messaging.channels.zzd.ZzdChannel",
}
PROVIDERS: dict[str, dict[str, str]] = {
    "sms": {
        "http": "ganxun.messaging.channels.sms.HttpSmsChannel",
        "aliyun": "ganxun.messaging.channels.sms.AliyunSmsChannel",
    },
}

_lock = threading.Lock()
_built: tuple[object, dict[str, Channel], list[str]] | None = None


def channel_class(code: str, options: Mapping[str, Any]) -> type[Channel]:
    """The class for ``code`` under these settings (raises ImportError, KeyError, ValueError)."""
    if options.get("class"):
        path = str(options["class"])
    elif options.get("provider"):
        known = PROVIDERS.get(code, {})
        if str(options["provider"]) not in known:
            raise ValueError(f"unknown provider {options['provider']!r}; known: {sorted(known)}")
        path = known[str(options["provider"])]
    else:
        path = CHANNEL_CLASSES[code]
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Channel)):
        raise ValueError(f"{path} is not a Channel")
    return cls


def _build(config: Mapping[str, Any]) -> tuple[dict[str, Channel], list[str]]:
    channels: dict[str, Channel] = {}
    problems: list[str] = []
    for code, options in config.items():
        if not isinstance(options, Mapping):
            problems.append(f"{code}: settings must be an object")
            continue
        if options.get("enabled", True) is False:
            continue
        try:
            cls = channel_class(code, options)
            channels[code] = cls(**{k: v for k, v in options.items() if k != "class"})
        except Exception as exc:  # one bad entry must not hide the others
            problems.append(f"{code}: {type(exc).__name__}: {exc}")
            log.error("channel %s left out: %s", code, exc)
    return channels, problems


def _current() -> tuple[dict[str, Channel], list[str]]:
    global _built
    source = getattr(settings, "GANXUN_CHANNELS", None) or {}
    with _lock:
        # rebuilt when the settings object changes (override_settings in tests)
        if _built is None or _built[0] is not source:
            channels, problems = _build(source)
            _built = (source, channels, problems)
        return _built[1], _built[2]


def configured_channels() -> dict[str, Channel]:
    """Code → ready channel, for every channel configured and enabled (in-app is not one)."""
    return dict(_current()[0])


def channel(code: str) -> Channel | None:
    return _current()[0].get(code)


def problems() -> list[str]:
    """What is wrong with the configured channels (empty when nothing)."""
    return list(_current()[1])


def reset() -> None:
    """Forget the built channels (and their cached tokens): the next call rebuilds."""
    global _built
    with _lock:
        _built = None
