from ganxun.core.context import RequestInfo, request_info
from ganxun.core.errors import DomainError
from ganxun.core.scoping import acting_as


def client_ip(request) -> str | None:
    """The address the request came from. Behind nginx, REMOTE_ADDR is set from X-Real-IP."""
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        with request_info(RequestInfo(ip=client_ip(request), channel=channel)):
            return self.get_response(request)


class ActorMiddleware:
    """The request's user is the actor of every scoped query the request makes (after
    authentication; an anonymous visitor is an actor that sees no scoped row). The user stays
    lazy: a request that reads no scoped model loads no user for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request.user):
            return self.get_response(request)


class DomainErrorMiddleware:
    """Turns fetch-and-authorise refusals into the plain 404/403 pages (never a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        if isinstance(exception, DomainError) and exception.status in (403, 404):
            template = f"{exception.status}.html"
            return render(
                request, template, {"message": exception.message}, status=exception.status
            )
        return None
