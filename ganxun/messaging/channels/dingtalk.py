"""钉钉 工作通知 (a work notification from an internal application, H5 微应用).

Settings: ``appkey``, ``appsecret``, ``agent_id``; ``base_url`` (default
``https://oapi.dingtalk.com``; 专有钉钉 deployments and gateways give their own);
``refused_codes``; the HTTP settings of ``http.py``.

Relied on (open.dingtalk.com “发送工作通知” and “获取企业内部应用的access_token”, as mirrored
in SDKs and write-ups found through the search tool — e.g. zhaoyunxing92/dingtalk's constants,
the open-dingtalk demo, the dingtalk-notice MCP server description, mabiji.com's errcode table):
- ``GET /gettoken?appkey=…&appsecret=…`` → ``{"errcode": 0, "access_token": …, "expires_in":
  7200}``, cached per process until shortly before it expires; fetched again when an API
  answers 40014 / 42001, or 88 with ``sub_code`` 40014 / 42001;
- ``POST /topapi/message/corpconversation/asyncsend_v2?access_token=…`` with JSON
  ``{"agent_id", "userid_list": "id1,id2", "msg": {"msgtype": "text", "text": {"content"}}}``
  or, when the message has a link, ``{"msgtype": "action_card", "action_card": {"title",
  "markdown", "single_title", "single_url"}}``; the answer ``{"errcode": 0, "task_id": …,
  "request_id": …}`` (the task id is kept as the provider id);
- errcode -1 系统繁忙 (→ Retry); 33012 无效的 userid, 60121 用户不存在 (→ Refused; the call is
  asynchronous, so most bad ids are only visible later in getsendresult, which this channel
  does not poll); every other errcode → Retry with its text.
Idempotency: asyncsend_v2 takes no request id, so a retry after a lost answer can deliver a
second copy; the window is one read timeout.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.messaging.channels.base import Message, Refused, Retry, Sent
from ganxun.messaging.channels.http import TokenCache, clip
from ganxun.messaging.channels.workapp import StaleToken, WorkAppChannel, agent_number

STALE = {40014, 42001}
REFUSED = {33012, 60121}


class DingtalkChannel(WorkAppChannel):
    code = "dingtalk"
    label = gettext_lazy("钉钉")  # type: ignore[assignment]
    required = ("appkey", "appsecret", "agent_id")
    default_base_url = "https://oapi.dingtalk.com"

    def __init__(self, **settings):
        super().__init__(**settings)
        self.agent_id = agent_number(settings, "agent_id")
        self.tokens = TokenCache(self._fetch_token)

    def _fetch_token(self) -> tuple[str, float]:
        reply = self.client.call(
            "GET",
            f"{self.base_url}/gettoken",
            query={"appkey": self.settings["appkey"], "appsecret": self.settings["appsecret"]},
        )
        data = reply.data if isinstance(reply.data, dict) else {}
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise Retry(
                _("钉钉获取 access_token 失败（errcode %(code)s）：%(msg)s")
                % {"code": data.get("errcode", reply.status), "msg": data.get("errmsg", "")}
            )
        return str(data["access_token"]), float(data.get("expires_in", 7200))

    def msg(self, message: Message) -> dict:
        return work_notice_msg(message, self.text_of(message), self.card_text(message))

    def deliver(self, message: Message, user_id: str) -> Sent:
        payload = {
            "agent_id": self.agent_id,
            "userid_list": user_id,
            "msg": self.msg(message),
        }

        def call(token: str) -> Sent:
            reply = self.client.call(
                "POST",
                f"{self.base_url}/topapi/message/corpconversation/asyncsend_v2",
                query={"access_token": token},
                json_body=payload,
            )
            data = reply.data if isinstance(reply.data, dict) else {}
            code = data.get("errcode")
            detail = {"code": code, "msg": data.get("sub_msg") or data.get("errmsg", "")}
            if code in STALE or (code == 88 and str(data.get("sub_code")) in {"40014", "42001"}):
                raise StaleToken(f"errcode {code} {detail['msg']}")
            if code == 0:
                return Sent(provider_id=str(data.get("task_id", "")))
            if code in REFUSED or str(code) in self.refused_codes:
                raise Refused(_("钉钉拒收（errcode %(code)s）：%(msg)s") % detail)
            raise Retry(_("钉钉未发送（errcode %(code)s）：%(msg)s") % detail)

        return self.with_token(self.tokens, call)


def work_notice_msg(message: Message, text: str, card_text: str) -> dict:
    """The ``msg`` of a 钉钉 / 浙政钉 work notification: text, or an action card with the link."""
    if message.url:
        title = message.title.strip() or card_text[:30]
        return {
            "msgtype": "action_card",
            "action_card": {
                "title": clip(title, 128),
                "markdown": clip(f"#### {title}\n\n{card_text}", 2000),
                "single_title": _("查看详情"),
                "single_url": message.url,
            },
        }
    return {"msgtype": "text", "text": {"content": clip(text, 2000)}}
