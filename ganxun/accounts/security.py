"""Account rules checked on every request after login: password expiry and 2FA enrolment.

Runs after ForcePasswordChangeMiddleware (which sends an initial password to be changed
first). An expired password is sent to the change page; an account that must use two-factor
login but has no authenticator yet is sent to enrolment and can do nothing else — pages or
session-authenticated API calls — until it has one.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from ganxun.accounts import twofactor
from ganxun.accounts.middleware import EXEMPT_PREFIXES
from ganxun.accounts.models import Role

# Static files, i18n, health and personal survey links need no account rules; /api/ is
# checked below for session users only (bearer tokens are not logins).
PASS_THROUGH = tuple(p for p in EXEMPT_PREFIXES if p != "/api/")


def password_max_age(user) -> timedelta | None:
    """Trainee-only accounts follow their own setting (off by default: they sign in rarely,
    on a phone, and a forced change at the classroom door blocks check-in); staff 90 days."""
    if user.roles and user.roles <= {Role.TRAINEE}:
        days = settings.GANXUN_TRAINEE_PASSWORD_MAX_AGE_DAYS
    else:
        days = settings.GANXUN_PASSWORD_MAX_AGE_DAYS
    return timedelta(days=days) if days > 0 else None


def password_expired(user, now=None) -> bool:
    age = (now or timezone.now()) - (user.password_changed_at or user.date_joined)
    ages = [settings.GANXUN_PASSWORD_MAX_AGE_DAYS, settings.GANXUN_TRAINEE_PASSWORD_MAX_AGE_DAYS]
    shortest = min((days for days in ages if days > 0), default=None)
    if shortest is None or age <= timedelta(days=shortest):
        return False  # decided without loading the roles (no query on most requests)
    max_age = password_max_age(user)
    return max_age is not None and age > max_age


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(PASS_THROUGH):
            return self.get_response(request)
        logout_path = reverse("accounts:logout")
        change_path = reverse("accounts:password_change")
        if request.path in (logout_path, change_path):
            return self.get_response(request)
        if password_expired(user):
            return self._refuse(request, "password_expired", change_path, _expired_message())
        if twofactor.is_required(user) and not _enabled(request, user):
            setup = reverse("accounts:two_factor_setup")
            if request.path != setup:
                return self._refuse(request, "two_factor_required", setup, _enrol_message())
        return self.get_response(request)

    @staticmethod
    def _refuse(request, code: str, to: str, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "message": message}, status=403)
        if request.method == "GET":
            messages.warning(request, message)
        return redirect(to)


def _enabled(request, user) -> bool:
    # remembered for the session once true, so the check costs no query per request
    if request.session.get("2fa_ok") == user.pk:
        return True
    if twofactor.is_enabled(user):
        request.session["2fa_ok"] = user.pk
        return True
    return False


def _expired_message() -> str:
    return "您的密码已超过规定期限未修改，请先修改密码。"


def _enrol_message() -> str:
    return "管理员账号须启用双因素认证：请用手机验证器扫描二维码完成绑定。"
