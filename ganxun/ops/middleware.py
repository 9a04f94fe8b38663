"""One JSON log line per request and the latency histogram."""

import logging
import time

from ganxun.ops import metrics

log = logging.getLogger("ganxun.request")

# URL keyword arguments that are secrets (personal survey links): never logged
SECRET_KWARGS = ("token", "key", "secret")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        seconds = time.monotonic() - started
        route = _route(request)
        metrics.observe_request(request.method, route, response.status_code, seconds)
        user = getattr(request, "user", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": _loggable_path(request),
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else (match.view_name or "unmatched")


def _loggable_path(request) -> str:
    match = getattr(request, "resolver_match", None)
    path = request.path
    if match is not None:
        for name, value in match.kwargs.items():
            if any(word in name for word in SECRET_KWARGS) and isinstance(value, str) and value:
                path = path.replace(value, "…")
    return path
