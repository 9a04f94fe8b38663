"""Two-factor pages: enrolment with a QR code, the login's second step, an admin's reset."""

import time

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.accounts import policies, selectors, totp, twofactor
from ganxun.accounts.models import TwoFactor
from ganxun.core.forms import StyledForm
from ganxun.core.http import action_view, run_action
from ganxun.core.ratelimit import ratelimit

PENDING = "2fa_pending"
PENDING_SECONDS = 300  # the password step counts for five minutes


class CodeForm(StyledForm):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=20,
        help_text=gettext_lazy("手机验证器显示的6位数字；手机丢失时可输入一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def start_second_step(request, user, next_url: str):
    """Called by the login view after a right password: remember who, not yet logged in."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(time.time()),
    }
    return redirect("accounts:two_factor_verify")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _pending_key(request) -> str:
    pending = request.session.get(PENDING) or {}
    return f"u{pending.get('user', '-')}"


@ratelimit("two_factor", "5/5m", key=_pending_key)
def two_factor_verify(request):
    """The second step of login: a code from the authenticator app or a recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("请重新输入用户名和密码。"))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = run_action(
            request,
            lambda: twofactor.two_factor_verify(user=user, code=form.cleaned_data["code"]),
            form=form,
            once=False,
        )
        if verified:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            request.session["2fa_ok"] = user.pk
            if verified.result == "recovery":
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request, _("已使用恢复码登录，还剩 %(left)s 个恢复码。") % {"left": left}
                )
            return redirect(_safe_next(request, pending["next"]))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _safe_next(request, url: str) -> str:
    ok = url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if ok else settings.LOGIN_REDIRECT_URL


@login_required
def two_factor_setup(request):
    """Scan the QR code, type the first code: the authenticator is on, recovery codes shown."""
    if twofactor.is_enabled(request.user):
        return render(
            request,
            "accounts/two_factor_status.html",
            {
                "left": twofactor.recovery_codes_left(request.user),
                "required": twofactor.is_required(request.user),
            },
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = run_action(
            request,
            lambda: twofactor.two_factor_confirm(
                actor=request.user, code=form.cleaned_data["code"]
            ),
            form=form,
            once=False,
        )
        if confirmed:
            request.session["2fa_ok"] = request.user.pk
            context = {"codes": confirmed.result}
            return render(request, "accounts/two_factor_codes.html", context)
    device = None
    if request.method == "POST":  # a wrong code: show the same secret again
        device = TwoFactor.objects.filter(user=request.user, confirmed_at__isnull=True).first()
    if device is None:
        device = twofactor.two_factor_begin(actor=request.user)
    uri = totp.provisioning_uri(
        device.secret, account=request.user.username, issuer=str(settings.GANXUN_SITE_NAME)
    )
    context = {
        "form": form,
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
        "qr": segno.make(uri, error="m").svg_inline(scale=4, title=_("双因素认证二维码")),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
@login_required
def two_factor_disable_own(request):
    if run_action(
        request,
        lambda: twofactor.two_factor_disable(actor=request.user, user=request.user),
        success=_("已关闭双因素认证。"),
    ):
        request.session.pop("2fa_ok", None)
    return redirect("accounts:two_factor_setup")


# An administrator clears a user's authenticator (lost phone); they enrol again.
two_factor_reset = action_view(
    policies.can_manage_users,
    get=selectors.get_user_for,
    call=lambda request, target: twofactor.two_factor_disable(actor=request.user, user=target),
    success=lambda target, _result: (
        _("已重置 %(target)s 的双因素认证，其下次登录时须重新绑定。") % {"target": target}
    ),
    to=lambda target: reverse("accounts:user_edit", args=[target.pk]),
)
