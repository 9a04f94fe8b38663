"""Who is acting and from where, for the duration of one request or job.

Services take ``actor`` explicitly; only the audit log reads the client address from here, so that
services never need the request.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    channel: str = "web"  # web, api, cli, job


_current: ContextVar[RequestInfo] = ContextVar("ganxun_request_info", default=RequestInfo())  # noqa: B039 (frozen)


def current_request_info() -> RequestInfo:
    return _current.get()


@contextmanager
def request_info(info: RequestInfo) -> Iterator[None]:
    token = _current.set(info)
    try:
        yield
    finally:
        _current.reset(token)
