"""企业微信 (and 政务微信, its private deployment: same API under its own ``base_url``) 应用消息.

Settings: ``corpid``, ``corpsecret`` (the application's Secret), ``agentid``; ``base_url``
(default ``https://qyapi.weixin.qq.com``; a private deployment's own address);
``duplicate_check_interval`` (seconds, default 14400 — WeCom's maximum; see below);
``refused_codes`` (extra errcodes that mean "never"); the HTTP settings of ``http.py``.

Relied on (developer.work.weixin.qq.com/document/path/90236 “发送应用消息”, the same text
mirrored in several SDK pages found through the search tool):
- ``GET /cgi-bin/gettoken?corpid=…&corpsecret=…`` → ``{"errcode": 0, "access_token": …,
  "expires_in": 7200}``; the token is cached per process until shortly before it expires and
  fetched again when an API answers errcode 40014 (不合法的access_token) or 42001 (已过期);
- ``POST /cgi-bin/message/send?access_token=…`` with ``touser``, ``msgtype``, ``agentid`` and
  ``text: {content}`` (≤ 2048 bytes) or, when the message has a link, ``textcard: {title,
  description, url, btntxt}`` (description ≤ 512 bytes); ``enable_duplicate_check: 1`` with
  ``duplicate_check_interval``: “在一定时间间隔内，同样内容（请求json）的消息，不会重复收到” —
  our request for one delivery is the same JSON on every retry, so a retry after a lost
  answer is not received twice within the interval: this is the idempotency WeCom offers;
- the answer ``{"errcode": 0, "errmsg": "ok", "invaliduser": "…", "msgid": "…"}``: a user
  named in ``invaliduser`` was not reached (→ Refused); all recipients invalid is errcode
  81013 (→ Refused); 40003 invalid UserID, 60111 userid not found (→ Refused); -1 系统繁忙,
  45009 / 45033 frequency and concurrency limits (→ Retry); every other errcode → Retry with
  its text (misconfiguration such as a wrong secret or an IP not on the allow-list shows in
  the delivery's last error and resolves when fixed).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.messaging.channels.base import Message, Refused, Retry, Sent
from ganxun.messaging.channels.http import TokenCache, clip
from ganxun.messaging.channels.workapp import StaleToken, WorkAppChannel, agent_number

STALE = {40014, 42001}
REFUSED = {40003, 60111, 81013}
BUSY = {-1, 45009, 45033}


class WecomChannel(WorkAppChannel):
    code = "wecom"
    label = gettext_lazy("企业微信")  # type: ignore[assignment]
    required = ("corpid", "corpsecret", "agentid")
    default_base_url = "https://qyapi.weixin.qq.com"

    def __init__(self, **settings):
        super().__init__(**settings)
        self.agentid = agent_number(settings, "agentid")
        self.tokens = TokenCache(self._fetch_token)

    def _fetch_token(self) -> tuple[str, float]:
        reply = self.client.call(
            "GET",
            f"{self.base_url}/cgi-bin/gettoken",
            query={"corpid": self.settings["corpid"], "corpsecret": self.settings["corpsecret"]},
        )
        data = reply.data if isinstance(reply.data, dict) else {}
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise Retry(
                _("企业微信获取 access_token 失败（errcode %(code)s）：%(msg)s")
                % {"code": data.get("errcode", reply.status), "msg": data.get("errmsg", "")}
            )
        return str(data["access_token"]), float(data.get("expires_in", 7200))

    def payload(self, message: Message, user_id: str) -> dict:
        body: dict = {"touser": user_id, "agentid": self.agentid}
        if message.url:
            body["msgtype"] = "textcard"
            body["textcard"] = {
                "title": clip(message.title.strip() or self.card_text(message), 128),
                "description": clip(self.card_text(message), 512),
                "url": message.url,
                "btntxt": _("详情"),
            }
        else:
            body["msgtype"] = "text"
            body["text"] = {"content": clip(self.text_of(message), 2048)}
        body["enable_duplicate_check"] = 1
        body["duplicate_check_interval"] = int(self.settings.get("duplicate_check_interval", 14400))
        return body

    def deliver(self, message: Message, user_id: str) -> Sent:
        payload = self.payload(message, user_id)

        def call(token: str) -> Sent:
            reply = self.client.call(
                "POST",
                f"{self.base_url}/cgi-bin/message/send",
                query={"access_token": token},
                json_body=payload,
            )
            data = reply.data if isinstance(reply.data, dict) else {}
            code = data.get("errcode")
            detail = {"code": code, "msg": data.get("errmsg", "")}
            if code in STALE:
                raise StaleToken(f"errcode {code} {detail['msg']}")
            if code == 0:
                invalid = str(data.get("invaliduser") or "").lower().split("|")
                if user_id.lower() in invalid:
                    raise Refused(
                        _("企业微信用户 %(user)s 不存在或不在应用可见范围内") % {"user": user_id}
                    )
                return Sent(provider_id=str(data.get("msgid", "")))
            if code in REFUSED or str(code) in self.refused_codes:
                raise Refused(_("企业微信拒收（errcode %(code)s）：%(msg)s") % detail)
            if code in BUSY:
                raise Retry(_("企业微信繁忙或限频（errcode %(code)s）：%(msg)s") % detail)
            raise Retry(_("企业微信未发送（errcode %(code)s）：%(msg)s") % detail)

        return self.with_token(self.tokens, call)
