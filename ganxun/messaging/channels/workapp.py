"""What 企业微信, 钉钉 and 浙政钉 share: the address is the person's user id in the work app
(bound to their account), the text is the message's title and body or a card linking to
``url``, and a cached access token is refreshed when the API says it went stale."""

from collections.abc import Callable
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from ganxun.messaging.channels import addresses
from ganxun.messaging.channels.base import Channel, Message, Refused, Retry, Sent
from ganxun.messaging.channels.http import HttpClient, TokenCache, guarded


class WorkAppChannel(Channel):
    required: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str] = ""

    def __init__(self, **settings):
        super().__init__(**settings)
        missing = [k for k in self.required if not settings.get(k)]
        if missing:
            raise ImproperlyConfigured(f"GANXUN_CHANNELS[{self.code!r}]: missing {missing}")
        self.base_url = str(settings.get("base_url") or self.default_base_url).rstrip("/")
        self.client = HttpClient(settings)
        self.refused_codes = {str(c) for c in settings.get("refused_codes", [])}

    def check_address(self, address: str) -> str:
        return addresses.work_app_user_id(address, app=str(self.label))

    def send(self, message: Message, address: str) -> Sent:
        user_id = self.check_address(address)
        if not (message.title.strip() or message.body.strip() or message.sms.strip()):
            raise Refused(_("消息内容为空"))
        return guarded(lambda: self.deliver(message, user_id))

    def deliver(self, message: Message, user_id: str) -> Sent:
        raise NotImplementedError

    @staticmethod
    def text_of(message: Message) -> str:
        """The plain-text notice: the title, then the body (or the short text)."""
        body = message.body.strip() or message.sms.strip()
        return f"{message.title.strip()}\n{body}".strip() if message.title.strip() else body

    @staticmethod
    def card_text(message: Message) -> str:
        return message.sms.strip() or message.body.strip()

    def with_token(self, tokens: TokenCache, call: Callable[[str], Sent]) -> Sent:
        """Call with the cached token; when the API says it is invalid or expired, fetch a new
        one and call once more (a second refusal is a Retry)."""
        token = tokens.get()
        try:
            return call(token)
        except StaleToken:
            tokens.invalidate(token)
        token = tokens.get()
        try:
            return call(token)
        except StaleToken as exc:
            tokens.invalidate(token)
            raise Retry(
                _("%(app)s access_token 刷新后仍无效：%(exc)s") % {"app": self.label, "exc": exc}
            ) from exc


class StaleToken(Exception):
    """The API refused the access token (invalid or expired): fetch a new one."""


def agent_number(settings: dict, name: str) -> int:
    """The application's agent id, a number in both APIs."""
    try:
        return int(settings[name])
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {settings[name]!r}") from exc
