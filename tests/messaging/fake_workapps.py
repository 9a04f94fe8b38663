"""Fake work-app APIs: 企业微信 and 钉钉 (tokens), 浙政钉 (the signed gateway)."""

import base64
import hashlib
import hmac
import json
import re
import time
from typing import Any

from tests.messaging.httpfake import Answer, FakeApi, Seen

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
