"""Placeholder written by the outbox work (the channels work owns this module and replaces it):
channel codes → classes, built from ``settings.GANXUN_CHANNELS`` (code → settings dict). Keep
the channels work's version at merge."""

from importlib import import_module

from django.conf import settings

from ganxun.messaging.channels.base import Channel

CLASSES = {"email": "ganxun.messaging.channels.email.EmailChannel"}


def _build(code: str, options: dict) -> Channel | None:
    path = CLASSES.get(code)
    if path is None:
        return None
    module, _dot, name = path.rpartition(".")
    return getattr(import_module(module), name)(**options)


def configured_channels() -> dict[str, Channel]:
    found = {}
    for code, options in (getattr(settings, "GANXUN_CHANNELS", None) or {}).items():
        built = _build(code, dict(options))
        if built is not None:
            found[code] = built
    return found


def channel(code: str) -> Channel | None:
    options = (getattr(settings, "GANXUN_CHANNELS", None) or {}).get(code)
    return None if options is None else _build(code, dict(options))
