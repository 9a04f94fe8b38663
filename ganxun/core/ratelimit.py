"""Rate limiting for views that anyone can hammer: login, check-in, public links.

``@ratelimit("login", "30/5m")`` counts requests per key in a fixed window kept in a counter
every app process shares (core/counters.py: Redis when configured, else the database — never
one process's memory). Over the limit the view is not called and the client gets the 429 page
(or JSON under /api/) with a ``Retry-After`` header. docs/ARCHITECTURE.md lists every limit.

Whom to count: a signed-in person by their account (``key="signed_in"``), so a hall of
trainees behind one Wi-Fi (NAT) address never shares one count; an address only for requests
without an account (``key="anonymous"``), and such limits are sized for the largest hall
(``settings.GANXUN_RATELIMIT_HALL`` trainees arriving together, see ``hall_rate``). A key
function answering None means "not counted by this limit", so one view can stack a limit per
account and one per address and still pay a single increment per request.
Per-account protection of passwords is axes' lockout (5 failures → 15 minutes, in the database).
"""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ganxun.core import counters
from ganxun.core.middleware import client_ip

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=64)
def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/15m" → (5, 900): at most 5 requests per 15-minute window."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"bad rate {rate!r}; write it as 5/15m, 100/h, 10/s")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * _UNITS[unit]


def hall_rate(per_trainee: int, period: str) -> Callable[[], str]:
    """A per-address rate for what every trainee of a hall does once or twice on arrival (scan,
    sign in): ``per_trainee`` requests for each of the hall's trainees per ``period``."""

    def rate() -> str:
        return f"{settings.GANXUN_RATELIMIT_HALL * per_trainee}/{period}"

    return rate


def key_ip(request) -> str:
    return client_ip(request) or "-"


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def key_user(request) -> str:
    """The signed-in account, or the address for anonymous requests."""
    return f"u{request.user.pk}" if _signed_in(request) else f"ip:{key_ip(request)}"


def key_signed_in(request) -> str | None:
    """The signed-in account; anonymous requests are not counted here."""
    return f"u{request.user.pk}" if _signed_in(request) else None


def key_anonymous(request) -> str | None:
    """The address of a request without an account; signed-in requests are not counted here."""
    return None if _signed_in(request) else f"ip:{key_ip(request)}"


KEYS = {"ip": key_ip, "user": key_user, "signed_in": key_signed_in, "anonymous": key_anonymous}


def bucket(scope: str, key: str, period: int, now: float) -> str:
    """The counter of ``key`` for the window holding ``now``."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # no addresses in counter keys
    return f"{scope}:{digest}:{int(now // period)}"


def hit(scope: str, key: str, rate: str) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window ends)."""
    limit, period = parse_rate(rate)
    now = time.time()
    expires = (int(now // period) + 1) * period
    count = counters.increment(bucket(scope, key, period, now), expires)
    return count <= limit, int(period - now % period) + 1


def seen(scope: str, key: str, rate: str) -> int:
    """Requests counted so far for ``key`` in the current window (for tests and operators)."""
    _limit, period = parse_rate(rate)
    return counters.current(bucket(scope, key, period, time.time()))


def too_many_requests(request, retry_after: int) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "rate_limited", "message": _("请求过于频繁，请稍后再试。")}, status=429
        )
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@dataclass(frozen=True)
class Limit:
    scope: str
    rate: Callable[[], str]
    key: Callable[[HttpRequest], str | None]
    methods: tuple[str, ...] | None

    def check(self, request) -> int | None:
        """Count ``request`` if this limit applies to it; seconds to wait when over the limit."""
        if self.methods is not None and request.method not in self.methods:
            return None
        counted = self.key(request)
        if counted is None:
            return None
        allowed, retry_after = hit(self.scope, counted, self.rate())
        return None if allowed else retry_after


def limits_of(view) -> list[Limit]:
    """The limits a view is decorated with, outermost first."""
    found = []
    while view is not None:
        if isinstance(getattr(view, "rate_limit", None), Limit):
            found.append(view.rate_limit)
        view = getattr(view, "__wrapped__", None)
    return found


def ratelimit(scope: str, rate, key="ip", methods: tuple[str, ...] | None = ("POST",)):
    """Limit a view to ``rate`` requests per key. ``rate`` is "30/5m" or a function returning
    one (``hall_rate``); ``key`` is "ip", "user", "signed_in", "anonymous" or a function of the
    request (None: not counted); ``methods`` are the ones counted (None: every method)."""
    if not callable(rate):
        parse_rate(rate)  # a typo fails at import, not on the first request
    limit = Limit(
        scope=scope,
        rate=rate if callable(rate) else (lambda: rate),
        key=KEYS[key] if isinstance(key, str) else key,
        methods=methods,
    )

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if settings.GANXUN_RATELIMITS_ENABLED:
                retry_after = limit.check(request)
                if retry_after is not None:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        wrapper.rate_limit = limit  # type: ignore[attr-defined]
        return wrapper

    return decorate
