"""Rate limiting for views that anyone can hammer: login, check-in, public links.

``@ratelimit("login", "30/5m")`` counts requests per key (the client address by default) in a
fixed window kept in Django's cache — Redis in production, so every app process shares one
count; the local-memory cache in tests and the embedded mode. Over the limit the view is not
called and the client gets the 429 page (or JSON under /api/) with a ``Retry-After`` header.

Limits by address are deliberately generous: a whole county office often sits behind one NAT
address. Per-account protection is axes' lockout (5 failures → 15 minutes).
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from ganxun.core.middleware import client_ip

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/15m" → (5, 900): at most 5 requests per 15-minute window."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"bad rate {rate!r}; write it as 5/15m, 100/h, 10/s")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * _UNITS[unit]


def key_ip(request) -> str:
    return client_ip(request) or "-"


def key_user(request) -> str:
    """The signed-in account, or the address for anonymous requests."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip:{key_ip(request)}"


KEYS = {"ip": key_ip, "user": key_user}


def hit(scope: str, key: str, rate: str) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window ends)."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # no addresses in cache keys
    cache_key = f"gx:rl:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit, int(period - now % period) + 1


def too_many_requests(request, retry_after: int) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "rate_limited", "message": "请求过于频繁，请稍后再试。"}, status=429
        )
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str, rate: str, key="ip", methods: tuple[str, ...] | None = ("POST",)):
    """Limit a view to ``rate`` requests per key. ``key`` is "ip", "user" or a function of the
    request; ``methods`` are the ones counted (None: every method)."""
    key_of = KEYS[key] if isinstance(key, str) else key
    parse_rate(rate)  # a typo fails at import, not on the first request

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if settings.GANXUN_RATELIMITS_ENABLED and (
                methods is None or request.method in methods
            ):
                allowed, retry_after = hit(scope, key_of(request), rate)
                if not allowed:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
