"""Idle logout and the forced change of an initial password."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from ganxun.accounts.models import Role

# Touching the session on every request would cost a write per request (check-in bursts);
# refreshing the last-seen mark once a minute keeps the idle clock accurate enough.
TOUCH_EVERY_SECONDS = 60
# "/s/": personal survey links work without an account, whoever else is signed in on the phone.
EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/healthz", "/s/")
# A browser session calling the API follows the same rules as its pages (answered in JSON);
# bearer tokens are not logins and carry no session, so they pass untouched.
API_PREFIX = "/api/"
IDLE_MESSAGE = "您已长时间未操作，为保护数据安全已自动退出，请重新登录。"
CHANGE_MESSAGE = "请先修改初始密码。"
# A trainee signs in once on their own phone (scan-to-check-in) and stays signed in; every
# account with a staff role keeps the short idle logout (等保 2.0).
TRAINEE_SESSION_AGE = timedelta(days=30)


def idle_timeout_for(user) -> timedelta:
    if user.roles == {Role.TRAINEE}:
        return getattr(settings, "GANXUN_TRAINEE_SESSION_AGE", TRAINEE_SESSION_AGE)
    return settings.GANXUN_IDLE_TIMEOUT


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith(API_PREFIX)
        if request.user.is_authenticated and (api or not request.path.startswith(EXEMPT_PREFIXES)):
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            timeout = int(idle_timeout_for(request.user).total_seconds())
            if now - last_seen > timeout:
                logout(request)
                if api:
                    body = {"code": "session_expired", "message": IDLE_MESSAGE}
                    return JsonResponse(body, status=401)
                messages.info(request, IDLE_MESSAGE)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - last_seen >= TOUCH_EVERY_SECONDS or "last_seen" not in request.session:
                request.session["last_seen"] = now
                if timeout > settings.SESSION_COOKIE_AGE:
                    # The cookie and the stored session must outlive the default 12 hours too.
                    request.session.set_expiry(timeout)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            if request.path.startswith(API_PREFIX):
                body = {"code": "password_change_required", "message": CHANGE_MESSAGE}
                return JsonResponse(body, status=403)
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith(EXEMPT_PREFIXES):
                return redirect("accounts:password_change")
        return self.get_response(request)
