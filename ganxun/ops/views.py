"""Probes for the load balancer and systemd, and the Prometheus scrape endpoint."""

import hmac
import ipaddress
import logging
import sys

from django.conf import settings
from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ganxun.ops import metrics
from ganxun.ops.readiness import run_checks

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so a database outage does not make
    the supervisor restart healthy app processes."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: database, cache and task queue; 503 naming the checks that failed."""
    checks = run_checks()
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def metrics_view(request):
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


def metrics_allowed(request) -> bool:
    """With GANXUN_METRICS_TOKEN set, the scraper sends it as a bearer token. Without one, only
    direct loopback requests may scrape: a request relayed by nginx carries X-Forwarded-For
    (and the site file refuses /metrics anyway)."""
    token = getattr(settings, "GANXUN_METRICS_TOKEN", "")
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def server_error(request):
    """handler500: an unreachable database (PostgreSQL restarting, a terminated connection) is a
    503 with Retry-After, not a 500 — wherever it was raised, in a view or a middleware. Django
    closes the broken connection at the end of the request and the next one reconnects
    (CONN_HEALTH_CHECKS), so the app recovers without a restart."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DataError):
        return _refused_value(request)
    if not isinstance(exc, OperationalError | InterfaceError):
        return defaults.server_error(request)
    log.warning("database unavailable: %s", type(exc).__name__)
    headers = {"Retry-After": "5"}
    if request.path.startswith("/api/"):
        body = {"code": "service_unavailable", "message": _("服务暂时不可用，请稍后重试。")}
        return JsonResponse(body, status=503, headers=headers)
    html = loader.render_to_string("ops/503.html")  # no request: no context processor queries
    return HttpResponse(html, status=503, headers=headers)


def _refused_value(request):
    """The database refused a value the client sent (a NUL byte in text, a number out of the
    column's range) that no form or schema caught: the client's input is wrong — 400, not 500."""
    log.warning("database refused a value from the request: %s", request.path)
    message = "提交的内容含有无法保存的字符或超出范围的数值，请检查后重试。"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "invalid_value", "message": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
