"""The machinery under tests/messaging/servers.py: a threaded HTTP server on 127.0.0.1 that
hands each request to a fake API, records it, and can be switched to fail."""

import contextlib
import itertools
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
