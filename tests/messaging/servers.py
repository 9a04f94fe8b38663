"""Local HTTP servers that speak the delivery channels' APIs (their documented request and
answer shapes), on 127.0.0.1 and a random port, for the channel tests and the outbox's.

Each fake checks what it receives the way the real service would (the signature, the token,
the required fields), records every request in ``seen`` and every message it would hand on in
``delivered``, and can be switched to fail:

    api.fail("status", status=500)        # answer HTTP 500 (times=None: until api.heal())
    api.fail("sleep", seconds=1.0)        # answer after a pause (past the client's timeout)
    api.fail("nonjson")                   # answer HTTP 200 with an HTML page
    api.fail("error", code="…")           # the provider's own error answer with that code
    api.fail("status", status=503, times=1)   # only the next request

Use ``with serve(FakeWecom()) as api:`` or the fixtures at the end (``wecom_api`` …);
``api.url`` is the base URL to configure. The signatures are recomputed here independently of
the channels' code, from the providers' descriptions.
"""

import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode())

    @property
    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))


@dataclass
class Failure:
    kind: str  # status | sleep | nonjson | error
    times: int | None = None  # None: until healed
    options: dict = field(default_factory=dict)


Answer = tuple[int, Any]  # (HTTP status, a JSON-able document or raw bytes)


class FakeApi:
    """Subclasses implement ``route(seen) -> Answer`` and ``error(code, seen) -> Answer``."""

    def __init__(self):
        self.seen: list[Seen] = []
        self.delivered: list[dict] = []
        self.url = ""
        self._failures: list[Failure] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def fail(self, kind: str, *, times: int | None = None, **options) -> None:
        with self._lock:
            self._failures.append(Failure(kind, times, options))

    def heal(self) -> None:
        with self._lock:
            self._failures.clear()

    def _take_failure(self) -> Failure | None:
        with self._lock:
            if not self._failures:
                return None
            failure = self._failures[0]
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.pop(0)
            return failure

    def answer(self, seen: Seen) -> Answer:
        with self._lock:
            self.seen.append(seen)
        failure = self._take_failure()
        if failure is not None:
            if failure.kind == "status":
                return failure.options.get("status", 500), b"<html>Server Error</html>"
            if failure.kind == "sleep":
                time.sleep(failure.options.get("seconds", 1.0))
            elif failure.kind == "nonjson":
                return (
                    200,
                    b"<html><body>\xe7\xbd\x91\xe5\x85\xb3\xe7\xbb\xb4\xe6\x8a\xa4</body></html>",
                )
            elif failure.kind == "error":
                return self.error(failure.options["code"], seen)
        return self.route(seen)

    def route(self, seen: Seen) -> Answer:
        raise NotImplementedError

    def error(self, code: Any, seen: Seen) -> Answer:
        raise NotImplementedError


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            target = urllib.parse.urlsplit(self.path)  # absolute when reached as a proxy
            seen = Seen(
                method=self.command,
                path=target.path,
                query=dict(urllib.parse.parse_qsl(target.query, keep_blank_values=True)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            seen.headers["x-requested-url"] = self.path
            status, document = api.answer(seen)
            raw = (
                document
                if isinstance(document, bytes)
                else json.dumps(document, ensure_ascii=False).encode()
            )
            try:
                self.send_response(status)
                kind = "application/json" if not isinstance(document, bytes) else "text/html"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except OSError:  # the client gave up (timeout test)
                pass

        do_GET = do_POST = _serve

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextlib.contextmanager
def serve(api: FakeApi) -> Iterator[FakeApi]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- a generic SMS gateway (the shape of many 政务短信 platforms) ------------------------------


class FakeSmsGateway(FakeApi):
    """``POST /api/sms/send`` with JSON or a form: account, mobile, content, requestId;
    ``Authorization: Bearer <token>``. Answers ``{"code": "0", "msg": "成功", "data":
    {"msgId": …}}``; a requestId seen before answers the first msgId and sends nothing."""

    TOKEN = "gw-secret-token"

    def __init__(self):
        super().__init__()
        self.by_request: dict[str, str] = {}

    def route(self, seen: Seen) -> Answer:
        if seen.path != "/api/sms/send" or seen.method != "POST":
            return 404, {"code": "404", "msg": "no such path"}
        if seen.headers.get("authorization") != f"Bearer {self.TOKEN}":
            return 401, {"code": "401", "msg": "鉴权失败"}
        is_form = seen.headers.get("content-type", "").startswith("application/x-www-form")
        fields = seen.form if is_form else seen.json
        if not re.fullmatch(r"1\d{10}", str(fields.get("mobile", ""))):
            return 200, {"code": "1002", "msg": "号码格式错误"}
        if not fields.get("content"):
            return 400, {"code": "1001", "msg": "内容为空"}
        request_id = str(fields.get("requestId", ""))
        with self._lock:
            if request_id and request_id in self.by_request:
                return 200, {
                    "code": "0",
                    "msg": "成功",
                    "data": {"msgId": self.by_request[request_id]},
                }
            msg_id = f"gw-{self.next_id()}"
            if request_id:
                self.by_request[request_id] = msg_id
            self.delivered.append(dict(fields))
        return 200, {"code": "0", "msg": "成功", "data": {"msgId": msg_id}}

    def error(self, code: Any, seen: Seen) -> Answer:
        return 200, {"code": str(code), "msg": "网关错误"}


# --- Aliyun 短信服务 SendSms (RPC, signature v1) ----------------------------------------------


def aliyun_expected_signature(method: str, params: dict[str, str], secret: str) -> str:
    """The documented steps, written apart from the channel: Java's URLEncoder then + → %20,
    * → %2A, %7E → ~; StringToSign = METHOD&%2F&encode(canonical)."""

    def encode(value: str) -> str:
        return (
            urllib.parse.quote_plus(value, safe="")
            .replace("+", "%20")
            .replace("*", "%2A")
            .replace("%7E", "~")
        )

    canonical = "&".join(
        f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()) if k != "Signature"
    )
    string_to_sign = method + "&" + encode("/") + "&" + encode(canonical)
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


class FakeAliyunSms(FakeApi):
    ACCESS_KEY_ID = "LTAI-test-id"
    ACCESS_KEY_SECRET = "test-secret/with+chars="
    SIGN_NAME = "甬江市委组织部"
    TEMPLATE_CODE = "SMS_123456789"

    def __init__(self):
        super().__init__()
        self.nonces: set[str] = set()

    def _request_id(self) -> str:
        return f"REQ-{self.next_id():06d}"

    def route(self, seen: Seen) -> Answer:
        params = seen.form if seen.method == "POST" else seen.query
        required = {
            "AccessKeyId": self.ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "Version": "2017-05-25",
        }
        for name, value in required.items():
            if params.get(name) != value:
                return 400, {"Code": "MissingParameter", "Message": name, "RequestId": "x"}
        stamp = params.get("Timestamp", "")
        try:
            when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return 400, {"Code": "InvalidTimeStamp.Format", "Message": stamp, "RequestId": "x"}
        if abs((datetime.now(UTC) - when).total_seconds()) > 900:
            return 400, {"Code": "InvalidTimeStamp.Expired", "Message": stamp, "RequestId": "x"}
        expected = aliyun_expected_signature(seen.method, params, self.ACCESS_KEY_SECRET)
        if params.get("Signature") != expected:
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
                "RequestId": self._request_id(),
            }
        with self._lock:
            nonce = params.get("SignatureNonce", "")
            if not nonce or nonce in self.nonces:
                return 400, {"Code": "SignatureNonceUsed", "Message": nonce, "RequestId": "x"}
            self.nonces.add(nonce)
        if params.get("SignName") != self.SIGN_NAME:
            return 200, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "短信签名不合法"}
        if params.get("TemplateCode") != self.TEMPLATE_CODE:
            return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "短信模板不合法"}
        try:
            template_param = json.loads(params.get("TemplateParam", ""))
        except ValueError:
            return 200, {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法"}
        if not re.fullmatch(r"(\+|\+86|0086|86)?1\d{10}", params.get("PhoneNumbers", "")):
            return 200, {
                "Code": "isv.MOBILE_NUMBER_ILLEGAL",
                "Message": "非法手机号",
                "RequestId": self._request_id(),
            }
        biz_id = f"{self.next_id()}^0"
        with self._lock:
            self.delivered.append(
                {
                    "phone": params["PhoneNumbers"],
                    "param": template_param,
                    "out_id": params.get("OutId", ""),
                }
            )
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "BizId": biz_id,
            "RequestId": self._request_id(),
        }

    def error(self, code: Any, seen: Seen) -> Answer:
        status = 400 if str(code).startswith("Throttling") else 200
        return status, {"Code": code, "Message": "error", "RequestId": self._request_id()}


# --- token-based work apps (企业微信, 钉钉) ---------------------------------------------------


class _TokenApi(FakeApi):
    def __init__(self, *, lifetime: int = 7200):
        super().__init__()
        self.lifetime = lifetime
        self.tokens: dict[str, str] = {}  # token → "valid" | "revoked" | "expired"
        self.token_requests = 0

    def issue(self) -> str:
        with self._lock:
            self.token_requests += 1
            token = f"token-{self.next_id()}"
            self.tokens[token] = "valid"
            return token

    def revoke_tokens(self, state: str = "revoked") -> None:
        """Make every token issued so far invalid ("revoked") or "expired"."""
        with self._lock:
            for token in self.tokens:
                self.tokens[token] = state

    def token_state(self, seen: Seen) -> str:
        return self.tokens.get(seen.query.get("access_token", ""), "revoked")


class FakeWecom(_TokenApi):
    CORPID = "ww-test-corp"
    CORPSECRET = "wecom-secret"
    AGENTID = 1000002

    def __init__(self, *, users=("zhangsan", "lisi"), **kwargs):
        super().__init__(**kwargs)
        self.users = set(users)
        self.recent: dict[str, float] = {}  # request JSON → when (duplicate check)

    def route(self, seen: Seen) -> Answer:
        if seen.path == "/cgi-bin/gettoken":
            if seen.query.get("corpid") != self.CORPID:
                return 200, {"errcode": 40013, "errmsg": "invalid corpid"}
            if seen.query.get("corpsecret") != self.CORPSECRET:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
            token = self.issue()
            return 200, {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": token,
                "expires_in": self.lifetime,
            }
        if seen.path == "/cgi-bin/message/send" and seen.method == "POST":
            state = self.token_state(seen)
            if state == "revoked":
                return 200, {"errcode": 40014, "errmsg": "invalid access_token"}
            if state == "expired":
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            body = seen.json
            if body.get("agentid") != self.AGENTID:
                return 200, {"errcode": 40056, "errmsg": "invalid agentid"}
            kind = body.get("msgtype")
            if kind == "text" and not body.get("text", {}).get("content"):
                return 200, {"errcode": 44004, "errmsg": "empty content"}
            if kind == "textcard" and not all(
                body.get("textcard", {}).get(k) for k in ("title", "description", "url")
            ):
                return 200, {"errcode": 40058, "errmsg": "textcard fields missing"}
            if kind not in ("text", "textcard"):
                return 200, {"errcode": 40008, "errmsg": "invalid message type"}
            if body.get("touser") not in self.users:
                return 200, {
                    "errcode": 81013,
                    "errmsg": "user & party & tag all invalid",
                    "invaliduser": body.get("touser", ""),
                }
            key = json.dumps(body, sort_keys=True, ensure_ascii=False)
            now = time.monotonic()
            with self._lock:
                msg_id = f"msg-{self.next_id()}"
                last = self.recent.get(key)
                duplicate = (
                    body.get("enable_duplicate_check") == 1
                    and last is not None
                    and now - last < body.get("duplicate_check_interval", 1800)
                )
                self.recent[key] = now
                if not duplicate:
                    self.delivered.append(body)
            return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": msg_id}
        return 404, {"errcode": 404, "errmsg": "not found"}

    def error(self, code: Any, seen: Seen) -> Answer:
        return 200, {"errcode": code, "errmsg": "error"}


class FakeDingtalk(_TokenApi):
    APPKEY = "ding-app-key"
    APPSECRET = "ding-app-secret"
    AGENT_ID = 2000001

    def __init__(self, *, users=("manager01", "user02"), **kwargs):
        super().__init__(**kwargs)
        self.users = set(users)

    def route(self, seen: Seen) -> Answer:
        if seen.path == "/gettoken":
            if (seen.query.get("appkey"), seen.query.get("appsecret")) != (
                self.APPKEY,
                self.APPSECRET,
            ):
                return 200, {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}
            token = self.issue()
            return 200, {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": token,
                "expires_in": self.lifetime,
            }
        if seen.path == "/topapi/message/corpconversation/asyncsend_v2" and seen.method == "POST":
            state = self.token_state(seen)
            if state == "revoked":
                return 200, {"errcode": 40014, "errmsg": "不合法的access_token"}
            if state == "expired":
                return 200, {
                    "errcode": 88,
                    "sub_code": "42001",
                    "sub_msg": "access_token已过期",
                    "errmsg": "ding talk error[subcode=42001]",
                }
            body = seen.json
            if body.get("agent_id") != self.AGENT_ID:
                return 200, {"errcode": 40056, "errmsg": "不合法的agentid"}
            msg = body.get("msg") or {}
            if msg.get("msgtype") == "text":
                ok = bool(msg.get("text", {}).get("content"))
            elif msg.get("msgtype") == "action_card":
                card = msg.get("action_card", {})
                ok = all(card.get(k) for k in ("title", "markdown", "single_title", "single_url"))
            else:
                ok = False
            if not ok:
                return 200, {"errcode": 40035, "errmsg": "缺少参数 msg"}
            if any(u not in self.users for u in str(body.get("userid_list", "")).split(",")):
                return 200, {"errcode": 33012, "errmsg": "无效的USERID"}
            task_id = self.next_id()
            with self._lock:
                self.delivered.append(body)
            return 200, {
                "errcode": 0,
                "errmsg": "ok",
                "task_id": task_id,
                "request_id": f"r{task_id}",
            }
        return 404, {"errcode": 404, "errmsg": "请求的URI地址不存在"}

    def error(self, code: Any, seen: Seen) -> Answer:
        return 200, {"errcode": code, "errmsg": "error"}


# --- 浙政钉 (专有钉钉 open platform gateway) --------------------------------------------------


def zzd_expected_signature(secret: str, seen: Seen) -> str:
    params = seen.form if seen.method == "POST" else seen.query
    text = "\n".join(
        [
            seen.method,
            seen.headers.get("x-hmac-auth-timestamp", ""),
            seen.headers.get("x-hmac-auth-nonce", ""),
            seen.path,
        ]
        + (["&".join(f"{k}={params[k]}" for k in sorted(params))] if params else [])
    )
    return base64.b64encode(
        hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    ).decode()


class FakeZzd(FakeApi):
    APP_KEY = "zzd-app-key"
    APP_SECRET = "zzd-app-secret"
    TENANT_ID = "196729"

    def __init__(self, *, users=("1234567", "7654321")):
        super().__init__()
        self.users = set(users)
        self.biz_ids: set[str] = set()
        self.nonces: set[str] = set()

    def _gateway_error(self, code: str, message: str) -> Answer:
        return 200, {
            "success": False,
            "errorCode": code,
            "errorMsg": message,
            "errorLevel": "error",
        }

    def route(self, seen: Seen) -> Answer:
        h = seen.headers
        if h.get("apikey") != self.APP_KEY:
            return self._gateway_error("AuthFailed", "apiKey 不存在")
        if (
            h.get("x-hmac-auth-version") != "1.0"
            or not h.get("x-hmac-auth-ip")
            or not h.get("x-hmac-auth-mac")
        ):
            return self._gateway_error("AuthFailed", "缺少签名头")
        if not re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00", h.get("x-hmac-auth-timestamp", "")
        ):
            return self._gateway_error("AuthFailed", "时间戳格式错误")
        with self._lock:
            nonce = h.get("x-hmac-auth-nonce", "")
            if not nonce or nonce in self.nonces:
                return self._gateway_error("AuthFailed", "nonce 重放")
            self.nonces.add(nonce)
        if h.get("x-hmac-auth-signature") != zzd_expected_signature(self.APP_SECRET, seen):
            return self._gateway_error("AuthFailed", "签名不匹配")
        if seen.path != "/message/workNotification" or seen.method != "POST":
            return 404, {"success": False, "errorCode": "404", "errorMsg": "api not found"}
        form = seen.form
        if form.get("tenantId") != self.TENANT_ID:
            return 200, {
                "success": True,
                "content": {
                    "success": False,
                    "responseCode": "233000",
                    "responseMessage": "租户不存在",
                },
            }
        try:
            msg = json.loads(form.get("msg", ""))
        except ValueError:
            return 200, {
                "success": True,
                "content": {
                    "success": False,
                    "responseCode": "100",
                    "responseMessage": "msg 不是 JSON",
                },
            }
        if msg.get("msgtype") not in ("text", "action_card", "link", "markdown", "oa"):
            return 200, {
                "success": True,
                "content": {
                    "success": False,
                    "responseCode": "100",
                    "responseMessage": "msgtype 不支持",
                },
            }
        if form.get("receiverIds") not in self.users:
            return 200, {
                "success": True,
                "content": {
                    "success": False,
                    "responseCode": "240111",
                    "responseMessage": "接收人不存在",
                },
            }
        with self._lock:
            biz = form.get("bizMsgId", "")
            if biz and biz in self.biz_ids:
                return 200, {
                    "success": True,
                    "content": {
                        "success": False,
                        "responseCode": "240019",
                        "responseMessage": "业务消息id重复",
                    },
                }
            self.biz_ids.add(biz)
            self.delivered.append({**form, "msg": msg})
            msg_id = f"zzd-{self.next_id()}"
        return 200, {"success": True, "content": {"success": True, "content": {"msgId": msg_id}}}

    def error(self, code: Any, seen: Seen) -> Answer:
        return 200, {
            "success": True,
            "content": {"success": False, "responseCode": str(code), "responseMessage": "error"},
        }


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def sms_gateway() -> Iterator[FakeSmsGateway]:
    with serve(FakeSmsGateway()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def aliyun_api() -> Iterator[FakeAliyunSms]:
    with serve(FakeAliyunSms()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def wecom_api() -> Iterator[FakeWecom]:
    with serve(FakeWecom()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def dingtalk_api() -> Iterator[FakeDingtalk]:
    with serve(FakeDingtalk()) as api:
        yield api  # type: ignore[misc]


@pytest.fixture
def zzd_api() -> Iterator[FakeZzd]:
    with serve(FakeZzd()) as api:
        yield api  # type: ignore[misc]
