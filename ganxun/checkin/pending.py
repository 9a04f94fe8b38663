"""The remembered scan: a code scanned in the room, kept in the scanning browser's session while
it signs in (login, forced password change, two-factor) or sends its position.

Bound to the browser: it lives in the session that scanned, so a forwarded link opened in
another browser has none and is refused once its slot is over. Never extended: the code is
checked as of the moment it was scanned (it was fresh then), and the scan counts only within
``SIGN_IN_SECONDS`` (``LOCATE_SECONDS`` for the position step) of that moment, however often
the link is reopened. Consumed once: the next visit of the scan link takes it out of the session,
whatever that visit ends in. ``PendingScanMiddleware`` sends a browser that has just finished
signing in back to the scan link, so the trainee lands checked in whichever page the sign-in
steps ended on.
"""

import time

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.checkin import codes
from ganxun.checkin.errors import CheckinError

KEY = "checkin_pending"
SIGN_IN = "sign_in"  # scanned while signed out: honoured once sign-in is complete
LOCATE = "locate"  # scanned while signed in, the phone is asked for its position
SIGN_IN_SECONDS = 10 * 60  # login, a forced password change and 2FA enrolment fit in this
LOCATE_SECONDS = 2 * 60  # the position page submits itself within seconds
_LIFETIME = {SIGN_IN: SIGN_IN_SECONDS, LOCATE: LOCATE_SECONDS}


def remember(request, code: str, purpose: str, *, since: dict | None = None) -> None:
    """Keep ``code`` for this browser; ``since`` (the scan it continues) keeps its moment."""
    at = since["at"] if since and since.get("code") == code else time.time()
    request.session[KEY] = {"code": code, "at": at, "purpose": purpose}


def take(request, code: str) -> dict | None:
    """The remembered scan of ``code``, removed from the session (a scan is used once)."""
    pending = request.session.pop(KEY, None)
    if not isinstance(pending, dict) or pending.get("code") != code:
        return None
    return pending


def is_live(pending: dict | None, now: float | None = None) -> bool:
    if not pending:
        return False
    age = (time.time() if now is None else now) - pending.get("at", 0)
    return 0 <= age < _LIFETIME.get(pending.get("purpose"), 0)


def read(code: str, pending: dict | None) -> codes.ScanCode:
    """The scanned code, fresh now or fresh when this browser scanned it (and still live)."""
    try:
        return codes.read_code(code)
    except CheckinError as exc:
        if exc.code != "code_expired" or not is_live(pending):
            raise
        return codes.read_code(code, now=pending["at"])


def scan_path(pending: dict) -> str:
    return reverse("checkin:scan", args=[pending["code"]])


def _accounts_prefix() -> str:
    # The sign-in pages themselves (password change, 2FA enrolment and its recovery codes).
    return reverse("accounts:login").removesuffix("login/")


class PendingScanMiddleware:
    """After the last sign-in step, take the browser back to the code it scanned.

    Runs after the account middlewares, so it acts only once login, the forced password change
    and two-factor enrolment are done: the first ordinary page the signed-in browser asks for
    becomes the scan link. A scan too old by then is dropped with a message to scan again."""

    SKIP_PREFIXES = ("/static/", "/api/", "/i18n/", "/healthz", "/readyz", "/metrics", "/s/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and KEY in request.session
            and request.user.is_authenticated
            and not request.headers.get("HX-Request")
            and not request.path.startswith(self.SKIP_PREFIXES)
            and not request.path.startswith(_accounts_prefix())
        ):
            pending = request.session.get(KEY)
            if isinstance(pending, dict) and pending.get("purpose") == SIGN_IN:
                if request.path == scan_path(pending):
                    return self.get_response(request)
                if is_live(pending):
                    return redirect(scan_path(pending))
                request.session.pop(KEY, None)
                messages.warning(
                    request,
                    _(
                        "您登录前扫描的签到码已失效（须在扫码后 10 分钟内完成登录），未能签到。"
                        "请重新扫描投影屏上的二维码。"
                    ),
                )
        return self.get_response(request)
