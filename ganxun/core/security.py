"""Security headers on every response (docs/security.md, 入侵防范 / 剩余信息保护).

Django's SecurityMiddleware already sends nosniff, the referrer policy, COOP and (in
production) HSTS; X-Frame-Options comes from its clickjacking middleware. This adds:
- Content-Security-Policy from settings.GANXUN_CSP: scripts only from this site, never inline;
- Permissions-Policy: camera and location for this site only (check-in scans and geofence);
- ``Cache-Control: private, no-store`` on pages shown to a signed-in user, so rosters and ID
  numbers do not stay in the browser cache of a shared office computer.
"""

from django.conf import settings

PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.GANXUN_CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
