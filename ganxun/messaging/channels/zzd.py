"""浙政钉 工作通知 (专有钉钉 / GovDingTalk open platform, the 浙江 government work app).

Settings: ``app_key``, ``app_secret`` (the application's AppKey/AppSecret on the open
platform), ``tenant_id``; ``base_url`` (default ``https://openplatform-pro.ding.zj.gov.cn``,
the production gateway; ``https://openplatform.dg-work.cn`` is the SaaS/test one, and other
专有钉钉 deployments give their own); ``client_ip`` and ``client_mac`` (the X-Hmac-Auth-IP/MAC
headers: the server's address as registered, default 127.0.0.1 and this machine's MAC);
``refused_codes`` (codes that mean "never" — none are documented in what we could find);
the HTTP settings of ``http.py``. The address is the person's 浙政钉 accountId.

What this relies on (the official pages, openplatform-portal.dg-work.cn, need a login; these
come from public write-ups and SDK clients found through the search tool: the 浙政钉工作通知
articles on ewbang.com and blog.csdn.net (137688758), the zwdd-sdk-java request class
OapiMessageWorkNotificationRequest, several C#/PHP/Python clients of the gateway):
- every call is signed by the gateway's HMAC scheme: headers ``X-Hmac-Auth-Timestamp``
  (``yyyy-MM-ddTHH:mm:ss.SSS+08:00``), ``X-Hmac-Auth-Version: 1.0``, ``X-Hmac-Auth-Nonce``
  (milliseconds + 4 random digits), ``apiKey`` (the AppKey), ``X-Hmac-Auth-IP``,
  ``X-Hmac-Auth-MAC`` and ``X-Hmac-Auth-Signature`` = Base64(HMAC-SHA256(AppSecret,
  "METHOD\\nTIMESTAMP\\nNONCE\\nURI\\nPARAMS")) where PARAMS is the request's parameters sorted
  by name, ``name=value`` joined by ``&``, values not URL-encoded (the last line omitted when
  there are none);
- ``POST /message/workNotification`` with form parameters ``tenantId``, ``receiverIds``
  (accountIds, comma-separated), ``bizMsgId`` (“业务消息id，自定义，有去重功能 … 同样的ID调用
  多次会提示"重复"错误”: we pass the delivery's idempotency key, and a "重复" answer counts as
  already sent) and ``msg`` (JSON: text, link, markdown, oa or action_card, ≤ 2048 bytes); the
  answer ``{"success": true, "content": {"success": true, "content": {"msgId": …}}}``.
ASSUMED, not confirmed by a document we could read: (1) the body is sent form-encoded
(``application/x-www-form-urlencoded``) while the signature covers the raw values — clients
differ, this is what the SDK's PostClient does as far as the sources show; (2) the failure
shapes: the gateway's ``{"success": false, "errorCode", "errorMsg"}`` and the API's inner
``{"success": false, "responseCode", "responseMessage"}``; an inner ``content`` given as a JSON
string is decoded too; every failure is ``Retry`` unless its code is in ``refused_codes`` or
it says 重复; (3) no access token: the work notification API is authorised by the signature
alone (the SDK examples call it without one; ``/gettoken.json`` serves the user-facing APIs).
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import datetime, timedelta, timezone

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.messaging.channels.base import Message, Refused, Retry, Sent
from ganxun.messaging.channels.dingtalk import work_notice_msg
from ganxun.messaging.channels.workapp import WorkAppChannel

CHINA = timezone(timedelta(hours=8))
WORK_NOTIFICATION = "/message/workNotification"


def _mac() -> str:
    node = f"{uuid.getnode():012x}"
    return ":".join(node[i : i + 2] for i in range(0, 12, 2))


def params_string(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()))


def signature(secret: str, method: str, timestamp: str, nonce: str, uri: str, params) -> str:
    lines = [method, timestamp, nonce, uri]
    if params:
        lines.append(params_string(params))
    digest = hmac.new(secret.encode(), "\n".join(lines).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class ZzdChannel(WorkAppChannel):
    code = "zzd"
    label = gettext_lazy("浙政钉")  # type: ignore[assignment]
    required = ("app_key", "app_secret", "tenant_id")
    default_base_url = "https://openplatform-pro.ding.zj.gov.cn"

    def signed_headers(self, method: str, uri: str, params: dict[str, str]) -> dict[str, str]:
        now = datetime.now(CHINA)
        timestamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+08:00"
        nonce = f"{int(time.time() * 1000)}{secrets.randbelow(9000) + 1000}"
        return {
            "X-Hmac-Auth-Timestamp": timestamp,
            "X-Hmac-Auth-Version": "1.0",
            "X-Hmac-Auth-Nonce": nonce,
            "apiKey": self.settings["app_key"],
            "X-Hmac-Auth-Signature": signature(
                self.settings["app_secret"], method, timestamp, nonce, uri, params
            ),
            "X-Hmac-Auth-IP": str(self.settings.get("client_ip", "127.0.0.1")),
            "X-Hmac-Auth-MAC": str(self.settings.get("client_mac") or _mac()),
        }

    def deliver(self, message: Message, user_id: str) -> Sent:
        params = {
            "tenantId": str(self.settings["tenant_id"]),
            "receiverIds": user_id,
            "msg": json.dumps(
                work_notice_msg(message, self.text_of(message), self.card_text(message)),
                ensure_ascii=False,
            ),
        }
        if message.idempotency_key:
            params["bizMsgId"] = message.idempotency_key[:64]
        reply = self.client.call(
            "POST",
            self.base_url + WORK_NOTIFICATION,
            form=params,
            headers=self.signed_headers("POST", WORK_NOTIFICATION, params),
        )
        outer = reply.data if isinstance(reply.data, dict) else {}
        inner = outer.get("content")
        if isinstance(inner, str):
            try:
                inner = json.loads(inner)
            except ValueError:
                inner = {"success": True, "content": {"msgId": inner}}
        if outer.get("success") is True and isinstance(inner, dict) and inner.get("success"):
            result = inner.get("content")
            msg_id = result.get("msgId", "") if isinstance(result, dict) else result or ""
            return Sent(provider_id=str(msg_id))
        failed = inner if isinstance(inner, dict) and outer.get("success") is True else outer
        code = str(failed.get("responseCode") or failed.get("errorCode") or f"HTTP {reply.status}")
        text = str(failed.get("responseMessage") or failed.get("errorMsg") or "")[:200]
        if "重复" in text or "duplicate" in text.lower():
            return Sent(provider_id="")  # this bizMsgId was sent before: a retry of a success
        detail = {"code": code, "msg": text}
        if code in self.refused_codes:
            raise Refused(_("浙政钉拒收（%(code)s）：%(msg)s") % detail)
        raise Retry(_("浙政钉未发送（%(code)s）：%(msg)s") % detail)
