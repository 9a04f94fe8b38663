"""Fake SMS services: a generic gateway (the shape of many 政务短信 platforms) and Aliyun
短信服务 SendSms with its signature checked."""

import base64
import hashlib
import hmac
import json
import re
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from tests.messaging.httpfake import Answer, FakeApi, Seen

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
