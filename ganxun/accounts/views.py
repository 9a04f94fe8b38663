from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.accounts import policies, selectors, services, twofactor
from ganxun.accounts.forms import ApiTokenForm, LoginForm, PasswordChangeForm, UserForm
from ganxun.accounts.jobs import trainee_accounts_start
from ganxun.accounts.models import ApiToken, Role
from ganxun.accounts.views_2fa import start_second_step
from ganxun.core.errors import NotFound
from ganxun.core.http import form_view, handle_form, paginate, require, run_action
from ganxun.core.ratelimit import hall_rate, ratelimit
from ganxun.orgs import policies as roster_policies
from ganxun.orgs.forms import InvalidFilter, cadre_filters, filter_params
from ganxun.orgs.selectors import org_choices


# Per address (nobody is signed in yet), sized for a hall of trainees signing in behind one
# Wi-Fi address before class; guessing one account's password is stopped by axes' lockout.
@method_decorator(ratelimit("login", hall_rate(2, "5m")), name="dispatch")
class LoginView(auth_views.LoginView):
    """Password first; accounts with an authenticator then give a code (views_2fa)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.is_enabled(user):
            return start_second_step(self.request, user, self.get_success_url())
        return super().form_valid(form)


OFFER_DISMISSED = "2fa_offer_dismissed"


@login_required
@require_POST
def two_factor_offer_dismiss(request):
    """ "稍后再说" on the home page's two-factor offer: not shown again in this session."""
    request.session[OFFER_DISMISSED] = True
    return redirect("home")


password_change = form_view(
    lambda user: True,  # any signed-in account
    form=lambda request, _none: PasswordChangeForm(request.POST or None),
    save=lambda request, form, _none: services.password_change(
        actor=request.user,
        old_password=form.cleaned_data["old_password"],
        new_password=form.cleaned_data["new_password"],
    ),
    success=gettext_lazy("密码已修改。"),
    after=lambda request, _result: update_session_auth_hash(request, request.user),
    to=lambda _none, _result: reverse("home"),
    page=lambda request, form, _none: render(
        request, "accounts/password_change.html", {"form": form}
    ),
)


@require(policies.can_manage_users)
def user_list(request):
    q, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    page = paginate(request, selectors.user_search(request.user, q=q, role=role))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


@require(policies.can_manage_users)
def user_create(request):
    form = UserForm(request.POST or None, org_queryset=org_choices(request.user))
    made = {}

    def create():
        made["password"] = services.generate_password()
        return services.user_create(
            actor=request.user, password=made["password"], **form.cleaned_data
        )

    user = handle_form(request, form, create)
    if user and not made:
        # a double click: the first response showed the password, only its hash is kept
        messages.info(
            request,
            _("账号 %(username)s 已创建，初始密码只在创建时显示一次；如未记下，请重置密码。")
            % {"username": user.username},
        )
        return redirect("accounts:user_edit", pk=user.pk)
    if user:
        context = {"target": user, "password": made["password"]}
        return render(request, "accounts/password_issued.html", context)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("新建账号")})


def _user_form(request, target):
    initial = {
        "username": target.username,
        "display_name": target.display_name,
        "org": target.org_id,
        "roles": sorted(target.roles),
        "is_active": target.is_active,
    }
    return UserForm(
        request.POST or None, initial=initial, org_queryset=org_choices(request.user), editing=True
    )


user_edit = form_view(
    policies.can_manage_users,
    get=selectors.get_user_for,
    form=_user_form,
    save=lambda request, form, target: services.user_update(
        actor=request.user,
        user=target,
        display_name=form.cleaned_data["display_name"],
        org=form.cleaned_data["org"],
        roles=form.cleaned_data["roles"],
        is_active=form.cleaned_data["is_active"],
    ),
    success=gettext_lazy("已保存。"),
    to=lambda _target, _result: reverse("accounts:users"),
    page=lambda request, form, target: render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "title": _("修改账号 %(username)s") % {"username": target.username},
        },
    ),
)


@require_POST
@require(policies.can_manage_users)
def user_reset_password(request, pk):
    target = selectors.get_user_for(request.user, pk)
    password = services.user_reset_password(actor=request.user, user=target)
    return render(
        request, "accounts/password_issued.html", {"target": target, "password": password}
    )


@require(policies.can_manage_users)
def token_list(request):
    may_read = roster_policies.can_see_full_id_number(request.user)
    form = ApiTokenForm(request.POST or None, may_read_id_numbers=may_read)
    raw_key = None
    made = {}

    def create():
        token, made["raw_key"] = services.api_token_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            reads_id_numbers=form.cleaned_data.get("reads_id_numbers", False),
        )
        return token

    token = handle_form(request, form, create)
    if token:
        form = ApiTokenForm(may_read_id_numbers=may_read)
        raw_key = made.get("raw_key")
        if raw_key is None:
            # a double click: the first response showed the key; only its hash is kept
            messages.info(
                request,
                _("令牌“%(name)s”（%(prefix)s…）已创建，密钥只在创建时显示一次。")
                % {"name": token.name, "prefix": token.prefix},
            )
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "raw_key": raw_key, "made": token}
    return render(request, "accounts/tokens.html", context)


@require_POST
@require(policies.can_manage_users)
def token_revoke(request, pk):
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound()
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("accounts:tokens")


@require_POST
@require(policies.can_create_trainee_accounts)
def trainee_accounts(request):
    """Open trainee accounts for every cadre of the current roster filter (a background job)."""
    params = filter_params(request.POST)
    try:  # an invalid filter is refused here, never read as "the whole scope"
        cadre_filters(request.user, params)
    except InvalidFilter as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('cadres:list')}?{urlencode(params)}")
    # a double click starts one job, not two over the same cadres
    started = run_action(request, lambda: trainee_accounts_start(actor=request.user, params=params))
    if not started:
        return redirect(f"{reverse('cadres:list')}?{urlencode(params)}")
    return redirect("core:job", pk=started.result.pk)
