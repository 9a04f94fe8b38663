"""SMS: a generic HTTP gateway (政务短信 platforms, cloud SMS APIs), and Aliyun 短信服务 as the
worked example of one provider.

**Generic gateway** (``GANXUN_CHANNELS["sms"] = {"provider": "http", ...}``, the default).
Settings:
- ``url`` (required), ``method`` (``POST``), ``headers`` (dict), ``query`` (dict added to the
  URL), ``body_format`` ``"json"`` (default), ``"form"`` or ``"none"``, ``body`` (for json any
  JSON structure, for form a flat dict);
- placeholders in every string of ``url``, ``headers``, ``query`` and ``body``: ``{phone}``
  (11 digits), ``{text}`` (the SMS text), ``{title}``, ``{url}``, ``{key}`` (the delivery's
  idempotency key, stable across retries — give it to the gateway's request/batch id field so
  a retry after a crash is recognised), ``{timestamp}`` (Unix seconds), ``{timestamp_ms}``.
  They are replaced inside each string, so a text with quotes or braces never breaks the
  JSON. The gateway's account, password, signature (【…】) go in as plain strings;
- the success rule: ``success_status`` (list of HTTP statuses, default any 2xx) and, when the
  gateway says so in the body, ``success_path`` (dotted path, list indexes allowed: ``"code"``,
  ``"result.0.status"``) equal to ``success_value`` (compared as text); ``id_path`` where the
  provider's message id is; ``message_path`` where its error text is;
- ``refused_values``: values at ``success_path`` that mean "this message can never go" (an
  invalid number, a blacklisted number, a rejected text) → ``Refused``; every other failure is
  ``Retry`` (throttled, down, or misconfigured: the outbox retries with backoff and shows the
  reason; a final failure stays visible to the sender). An HTTP 400/404/422 with no success is
  ``Refused`` too; 401/403/407 (credentials, IP allow-list) are ``Retry`` with the reason.
A gateway that needs a computed signature (MD5 of account+password+timestamp …) is a small
subclass overriding ``prepare(values)`` to add its own placeholders.

**Aliyun 短信服务** (``{"provider": "aliyun", "access_key_id": …, "access_key_secret": …,
"sign_name": "…", "template_code": "SMS_…", "template_param": {"content": "{text}"}}``).
The text goes into the approved template's variables (``template_param``, same placeholders).
Relied on (public documentation, found through the search tool):
- SendSms, dysmsapi 2017-05-25, help.aliyun.com/document_detail/55284.html and
  help.aliyun.com/en/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms: parameters
  PhoneNumbers (“+/+86/0086/86 或无任何前缀”), SignName, TemplateCode, TemplateParam (a JSON
  string), OutId (the caller's own id: we pass the idempotency key; the documentation says
  SendSms itself is not idempotent, so the key is what lets a receipt be matched after a
  timeout); the answer ``{"Code": "OK", "Message": "OK", "BizId": "…", "RequestId": "…"}``;
  the recommended timeout ≥ 1 s;
- the RPC signature, method v1 (www.alibabacloud.com/help/zh/doc-detail/252839.htm, “签名机制”):
  common parameters AccessKeyId, Action, Format, RegionId, SignatureMethod=HMAC-SHA1,
  SignatureNonce, SignatureVersion=1.0, Timestamp (ISO 8601 UTC), Version; parameters sorted by
  name, names and values percent-encoded by RFC 3986 (space → %20, ``*`` → %2A, ``~`` kept),
  joined with ``=`` and ``&``; StringToSign = METHOD & %2F & percentEncode(that string);
  Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign));
- the error codes (the SDK pages' table: isv.MOBILE_NUMBER_ILLEGAL 非法手机号,
  isv.BUSINESS_LIMIT_CONTROL 业务限流, isv.BLACK_KEY_CONTROL_LIMIT 黑名单管控,
  isv.PARAM_LENGTH_LIMIT, isv.AMOUNT_NOT_ENOUGH, isp.SYSTEM_ERROR …) and the gateway's
  Throttling.* codes; errors come with HTTP 400/403/404 and the same JSON body.
"""

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.messaging.channels import addresses
from ganxun.messaging.channels.base import Channel, Message, Refused, Retry, Sent
from ganxun.messaging.channels.http import HttpClient, dig, guarded

PLACEHOLDERS = ("phone", "text", "title", "url", "key", "timestamp", "timestamp_ms")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: Any, values: dict[str, str]) -> Any:
    """Replace ``{name}`` inside every string of a JSON-like structure (keys stay as written)."""
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, values) for value in template]
    return template


def unknown_placeholders(template: Any, known: tuple[str, ...] = PLACEHOLDERS) -> set[str]:
    if isinstance(template, str):
        return {name for name in _PLACEHOLDER.findall(template) if name not in known}
    if isinstance(template, dict):
        return set().union(*(unknown_placeholders(v, known) for v in template.values()))
    if isinstance(template, list):
        return set().union(*(unknown_placeholders(v, known) for v in template))
    return set()


class SmsChannel(Channel):
    """What every SMS provider shares: the address is a mainland mobile number."""

    code = "sms"
    label = gettext_lazy("短信")  # type: ignore[assignment]

    def check_address(self, address: str) -> str:
        return addresses.mobile_number(address)

    def send(self, message: Message, address: str) -> Sent:
        phone = self.check_address(address)
        if not message.sms.strip():
            raise Refused(_("短信内容为空"))
        return guarded(lambda: self.deliver(message, phone))

    def deliver(self, message: Message, phone: str) -> Sent:
        raise NotImplementedError

    @staticmethod
    def values(message: Message, phone: str) -> dict[str, str]:
        now = time.time()
        return {
            "phone": phone,
            "text": message.sms,
            "title": message.title,
            "url": message.url,
            "key": message.idempotency_key,
            "timestamp": str(int(now)),
            "timestamp_ms": str(int(now * 1000)),
        }


class HttpSmsChannel(SmsChannel):
    """A gateway described entirely by its settings (see the module's docstring)."""

    def __init__(self, **settings):
        super().__init__(**settings)
        if not settings.get("url"):
            raise ImproperlyConfigured("GANXUN_CHANNELS['sms']: 'url' is required")
        self.body_format = settings.get("body_format", "json")
        if self.body_format not in ("json", "form", "none"):
            raise ImproperlyConfigured("GANXUN_CHANNELS['sms']: body_format json|form|none")
        templates = [settings.get(k) for k in ("url", "headers", "query", "body")]
        unknown = unknown_placeholders(templates, PLACEHOLDERS + self.extra_placeholders())
        if unknown:
            raise ImproperlyConfigured(
                f"GANXUN_CHANNELS['sms']: unknown placeholders {sorted(unknown)}; "
                f"known: {', '.join(PLACEHOLDERS)}"
            )
        self.client = HttpClient(settings)

    def extra_placeholders(self) -> tuple[str, ...]:
        """Names a subclass adds in ``prepare``."""
        return ()

    def prepare(self, values: dict[str, str]) -> dict[str, str]:
        """Hook for gateways that need computed values (a signature over the request)."""
        return values

    def deliver(self, message: Message, phone: str) -> Sent:
        s = self.settings
        values = self.prepare(self.values(message, phone))
        url = fill(s["url"], {k: urllib.parse.quote(v, safe="") for k, v in values.items()})
        method = str(s.get("method", "POST")).upper()
        body = fill(s.get("body"), values) if method != "GET" else None
        reply = self.client.call(
            method,
            url,
            query=fill(s.get("query"), values),
            headers=fill(s.get("headers") or {}, values),
            json_body=body if self.body_format == "json" else None,
            form=body if self.body_format == "form" else None,
        )
        statuses = s.get("success_status")
        status_ok = reply.status in statuses if statuses else 200 <= reply.status < 300
        path = s.get("success_path", "")
        outcome = dig(reply.data, path) if path else None
        if status_ok and (not path or str(outcome) == str(s.get("success_value", ""))):
            provider_id = dig(reply.data, s["id_path"]) if s.get("id_path") else None
            return Sent(provider_id=str(provider_id) if provider_id is not None else "")
        said = dig(reply.data, s["message_path"]) if s.get("message_path") else None
        detail = str(said if said is not None else reply.data)[:200]
        refused_values = [str(v) for v in s.get("refused_values", [])]
        if path and outcome is not None and str(outcome) in refused_values:
            raise Refused(
                _("短信平台拒收（%(code)s）：%(detail)s") % {"code": outcome, "detail": detail}
            )
        if reply.status in (400, 404, 422):
            raise Refused(
                _("短信平台拒收（HTTP %(status)s）：%(detail)s")
                % {"status": reply.status, "detail": detail}
            )
        raise Retry(
            _("短信平台未确认发送（HTTP %(status)s，%(code)s）：%(detail)s")
            % {"status": reply.status, "code": outcome, "detail": detail}
        )


def percent_encode(value: str) -> str:
    """RFC 3986 as Aliyun's signature wants it: only A–Z a–z 0–9 - _ . ~ unencoded."""
    return urllib.parse.quote(value, safe="-_.~")


def aliyun_signature(method: str, params: dict[str, str], secret: str) -> str:
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsChannel(SmsChannel):
    """Aliyun 短信服务 SendSms (dysmsapi 2017-05-25, RPC signature v1, HMAC-SHA1)."""

    ENDPOINT = "https://dysmsapi.aliyuncs.com/"
    # this message or number can never go
    REFUSED = {
        "isv.MOBILE_NUMBER_ILLEGAL",  # 非法手机号
        "isv.BLACK_KEY_CONTROL_LIMIT",  # 黑名单管控 (the number refuses SMS)
        "isv.PARAM_LENGTH_LIMIT",  # a variable is too long
        "isv.PARAM_NOT_SUPPORT_URL",  # a variable carries a URL the template forbids
        "isv.INVALID_JSON_PARAM",
        "isv.MOBILE_COUNT_OVER_LIMIT",
    }
    # throttled: later
    THROTTLED_PREFIXES = ("isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling")

    def __init__(self, **settings):
        super().__init__(**settings)
        missing = [
            k
            for k in ("access_key_id", "access_key_secret", "sign_name", "template_code")
            if not settings.get(k)
        ]
        if missing:
            raise ImproperlyConfigured(f"GANXUN_CHANNELS['sms'] (aliyun): missing {missing}")
        self.template_param = settings.get("template_param", {"content": "{text}"})
        unknown = unknown_placeholders(self.template_param)
        if unknown:
            raise ImproperlyConfigured(f"GANXUN_CHANNELS['sms']: unknown {sorted(unknown)}")
        self.client = HttpClient(settings)

    def deliver(self, message: Message, phone: str) -> Sent:
        s = self.settings
        params = {
            "AccessKeyId": s["access_key_id"],
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": s.get("region_id", "cn-hangzhou"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": phone,
            "SignName": s["sign_name"],
            "TemplateCode": s["template_code"],
            "TemplateParam": json.dumps(
                fill(self.template_param, self.values(message, phone)), ensure_ascii=False
            ),
        }
        if message.idempotency_key:
            params["OutId"] = message.idempotency_key[:256]
        params["Signature"] = aliyun_signature("POST", params, s["access_key_secret"])
        reply = self.client.call("POST", s.get("endpoint", self.ENDPOINT), form=params)
        data = reply.data if isinstance(reply.data, dict) else {}
        code = str(data.get("Code", ""))
        if code == "OK":
            return Sent(provider_id=str(data.get("BizId", "")))
        detail = {"code": code or f"HTTP {reply.status}", "message": data.get("Message", "")}
        if code in self.REFUSED:
            raise Refused(_("阿里云短信拒收（%(code)s）：%(message)s") % detail)
        if code.startswith(self.THROTTLED_PREFIXES):
            raise Retry(_("阿里云短信限流（%(code)s）：%(message)s，稍后重试") % detail)
        raise Retry(_("阿里云短信未发送（%(code)s）：%(message)s") % detail)
