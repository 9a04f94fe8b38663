"""The one HTTP client of the delivery channels: the standard library's urllib, with a separate
connect and read timeout, an explicit proxy, an optional CA bundle, no redirects, a capped
answer, and every transport failure turned into ``Retry``.

No third-party HTTP library: the channels make one small request at a time, and urllib already
does proxies (CONNECT tunnels for HTTPS) and TLS; what it lacks — a read timeout distinct from
the connect timeout — is the twenty lines of ``_ReadTimeout`` below.

Channel settings read here (every channel accepts them):
- ``connect_timeout`` (seconds, default 3) and ``read_timeout`` (default 10: the longest wait
  for the next bytes of the answer);
- ``proxy``: ``""`` (default) none, even when ``HTTPS_PROXY`` is set in the environment — a
  worker on an intranet should not pick up a proxy by accident; ``"http://10.0.0.1:3128"`` that
  proxy for http and https; ``"env"`` the ``HTTP(S)_PROXY``/``NO_PROXY`` variables;
- ``ca_file``: a PEM bundle to trust (a government CA or the gateway's own certificate);
  ``verify_tls: false`` turns verification off (a lab only; the deployment guide says so).
"""

import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ganxun.messaging.channels.base import Refused, Retry

DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_READ_TIMEOUT = 10.0
MAX_ANSWER_BYTES = 1_000_000


@dataclass(frozen=True)
class Reply:
    """A JSON answer: its HTTP status and the decoded document."""

    status: int
    data: Any


class _ReadTimeout:
    """Connect with the connection's timeout (the connect timeout), then wait at most
    ``read_timeout`` for each read of the answer."""

    read_timeout: float

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.sock.settimeout(self.read_timeout)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float):
        super().__init__()
        self._conn = type("Conn", (_ReadTimeout, http.client.HTTPConnection), {})
        self._conn.read_timeout = read_timeout

    def http_open(self, req):
        return self.do_open(self._conn, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float, context: ssl.SSLContext):
        super().__init__(context=context)
        self._ctx = context
        self._conn = type("Conn", (_ReadTimeout, http.client.HTTPSConnection), {})
        self._conn.read_timeout = read_timeout

    def https_open(self, req):
        return self.do_open(self._conn, req, context=self._ctx)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """An API that redirects is misconfigured: the 3xx comes back as an answer (→ Retry)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpClient:
    """Built once per channel (thread-safe: it keeps no per-request state)."""

    def __init__(self, settings: Mapping[str, Any]):
        self.connect_timeout = float(settings.get("connect_timeout", DEFAULT_CONNECT_TIMEOUT))
        self.read_timeout = float(settings.get("read_timeout", DEFAULT_READ_TIMEOUT))
        proxy = str(settings.get("proxy", "") or "")
        if proxy == "env":
            proxies = urllib.request.ProxyHandler()  # HTTP(S)_PROXY, NO_PROXY
        elif proxy:
            proxies = urllib.request.ProxyHandler({"http": proxy, "https": proxy})
        else:
            proxies = urllib.request.ProxyHandler({})
        context = ssl.create_default_context(cafile=settings.get("ca_file") or None)
        if settings.get("verify_tls") is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(
            proxies,
            _HTTPHandler(self.read_timeout),
            _HTTPSHandler(self.read_timeout, context),
            _NoRedirect(),
        )

    def call(
        self,
        method: str,
        url: str,
        *,
        query: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send one request and return the JSON answer of any 2xx or 4xx status.

        Raises ``Retry`` for a timeout, a refused or broken connection, a 5xx, 429 or 3xx
        status, and an answer that is not JSON (a 2xx one says so: the gateway accepted
        something, but what it said cannot be read)."""
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        all_headers = {"Accept": "application/json", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode()
            all_headers.setdefault("Content-Type", "application/json; charset=utf-8")
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            all_headers.setdefault(
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"
            )
        request = urllib.request.Request(url, data=body, headers=all_headers, method=method)
        try:
            try:
                response = self._opener.open(request, timeout=self.connect_timeout)
            except urllib.error.HTTPError as answer:  # a 3xx/4xx/5xx status: still an answer
                response = answer
            with response:
                status = response.status if response.status is not None else 0
                raw = response.read(MAX_ANSWER_BYTES + 1)
        except TimeoutError as exc:
            raise Retry(_("连接 %(host)s 超时（%(exc)s）") % _where(url, exc)) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise Retry(_("连接 %(host)s 超时（%(exc)s）") % _where(url, exc.reason)) from exc
            raise Retry(_("无法连接 %(host)s（%(exc)s）") % _where(url, exc.reason)) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise Retry(_("与 %(host)s 的连接中断（%(exc)s）") % _where(url, exc)) from exc
        if status >= 500 or status == 429 or 300 <= status < 400:
            raise Retry(
                _("%(host)s 暂时不可用：HTTP %(status)s %(text)s")
                % {**_where(url, ""), "status": status, "text": _excerpt(raw)}
            )
        if len(raw) > MAX_ANSWER_BYTES:
            raise Retry(_("%(host)s 的应答过长") % _where(url, ""))
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            if 200 <= status < 300:
                reason = _("%(host)s 返回 HTTP %(status)s，但应答不是 JSON：%(text)s")
            else:
                reason = _("%(host)s 返回 HTTP %(status)s，应答不是 JSON：%(text)s")
            raise Retry(
                reason % {**_where(url, ""), "status": status, "text": _excerpt(raw)}
            ) from None
        return Reply(status=status, data=data)


def _where(url: str, exc: object) -> dict[str, str]:
    return {"host": urllib.parse.urlsplit(url).netloc or url, "exc": str(exc) or type(exc).__name__}


def _excerpt(raw: bytes, limit: int = 120) -> str:
    text = raw[: limit * 4].decode("utf-8", "replace").strip().replace("\n", " ")
    return text[:limit] + ("…" if len(text) > limit else "")


def dig(data: Any, path: str) -> Any:
    """``dig({"a": [{"b": 1}]}, "a.0.b") == 1``; ``None`` when the path is not there."""
    for part in [p for p in path.split(".") if p]:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, list) and part.lstrip("-").isdigit():
            index = int(part)
            data = data[index] if -len(data) <= index < len(data) else None
        else:
            return None
        if data is None:
            return None
    return data


def clip(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (work apps count bytes), marked with …."""
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max_bytes - 3].decode("utf-8", "ignore") + "…"


def guarded(send: Callable[[], Any]) -> Any:
    """Run a channel's send: ``Retry`` and ``Refused`` pass, anything else becomes ``Retry``
    (the worker's contract: a channel never raises anything else)."""
    try:
        return send()
    except (Retry, Refused):
        raise
    except Exception as exc:  # the contract of Channel.send
        raise Retry(_("渠道内部错误：%(exc)r") % {"exc": exc}) from exc


class TokenCache:
    """An access token shared by the threads of one process, fetched when missing or expired
    (``margin`` seconds early) and dropped when the API says it is no longer valid."""

    def __init__(self, fetch: Callable[[], tuple[str, float]], *, margin: float = 300.0):
        self._fetch = fetch  # returns (token, lifetime in seconds)
        self._margin = margin
        self._lock = threading.Lock()
        self._token = ""
        self._expires_at = 0.0

    def get(self) -> str:
        with self._lock:
            if not self._token or time.monotonic() >= self._expires_at:
                token, lifetime = self._fetch()
                self._token = token
                self._expires_at = time.monotonic() + lifetime - min(self._margin, lifetime / 10)
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (unless another thread already replaced it)."""
        with self._lock:
            if self._token == token:
                self._token = ""
