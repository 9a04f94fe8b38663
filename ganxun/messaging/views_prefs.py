"""Pages: the notice templates (administrators and organizers, for their org), the channels an
org allows (administrators), and a person's own 通知方式."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import handle_form, post_action, require
from ganxun.core.values import query_int
from ganxun.messaging import kinds as registry
from ganxun.messaging import policies_prefs as policies
from ganxun.messaging import preferences, services_prefs, templates
from ganxun.messaging.forms_prefs import (
    ChannelPolicyForm,
    OrgChoiceForm,
    PreferenceForm,
    TemplateForm,
)
from ganxun.messaging.models import ChannelPreference, OrgChannelPolicy
from ganxun.orgs.models import Org

# --- templates ----------------------------------------------------------------------------


def _kind_or_404(code: str) -> registry.NoticeKind:
    kind = registry.get(code)
    if kind is None:
        raise NotFound()
    return kind


def _variables(kind: registry.NoticeKind) -> list[dict]:
    return [
        {"name": "{" + v.name + "}", "label": v.label, "sample": v.sample} for v in kind.variables
    ]


@require(policies.can_edit_templates)
def template_list(request):
    org = request.user.org
    sources = templates.sources_for(org.pk)
    rows = [
        {
            "kind": kind,
            "own": sources.get(kind.code) == org.pk,
            "inherited": kind.code in sources and sources[kind.code] != org.pk,
        }
        for kind in registry.all_kinds()
    ]
    rows.sort(key=lambda r: str(r["kind"].label))
    return render(request, "messaging/template_list.html", {"rows": rows, "org": org})


def _ancestor(org: Org, ancestor_id: int | None) -> Org | None:
    """An org above the actor's own, named on the page as where a setting comes from."""
    if ancestor_id is None or ancestor_id not in org.ancestor_ids:
        return None
    # scope: an ancestor of the actor's own org — its name says whose setting applies here
    return Org._base_manager.filter(pk=ancestor_id).first()


def _preview_context(kind, title: str, body: str, sms: str) -> dict:
    """The editor's problems, and the texts filled with sample values when they can be (every
    problem but length stops the preview)."""
    problems = templates.validate(kind, title=title, body=body, sms=sms)
    context: dict = {"problems": problems, "limit": templates.sms_limit()}
    if all(p.code in ("sms_too_long", "title_too_long") for p in problems):
        text, count = templates.preview(kind, title=title, body=body, sms=sms)
        context.update(text=text, count=count, signature=templates.sms_signature())
    return context


@require(policies.can_edit_templates)
def template_edit(request, code: str):
    kind = _kind_or_404(code)
    org = request.user.org
    current, source = templates.texts_for(kind, org.pk)
    own = source == org.pk
    form = TemplateForm(request.POST or None, initial=current)
    if kind.editable:
        saved = handle_form(
            request,
            form,
            lambda: services_prefs.template_save(
                actor=request.user, org=org, kind=kind.code, **form.cleaned_data
            ),
            success=_("已保存“%(label)s”的模板。") % {"label": kind.label},
        )
        if saved:
            return redirect("messaging_prefs:template_edit", code=kind.code)
    data = form.data if form.is_bound else current
    context = {
        "kind": kind,
        "form": form,
        "org": org,
        "own": own,
        "source": None if own else _ancestor(org, source),
        "variables": _variables(kind),
        "default": kind.default_texts(),
    }
    context.update(
        _preview_context(kind, data.get("title", ""), data.get("body", ""), data.get("sms", ""))
    )
    return render(request, "messaging/template_edit.html", context)


@require(policies.can_edit_templates)
def template_preview(request, code: str):
    """The live preview (htmx, GET with the form's texts): filled with sample values, with the
    SMS length and the editor's problems. Reads nothing but the kind."""
    kind = _kind_or_404(code)
    get = request.GET
    context = {"kind": kind}
    context.update(
        _preview_context(kind, get.get("title", ""), get.get("body", ""), get.get("sms", ""))
    )
    return render(request, "messaging/_template_preview.html", context)


@require_POST
@require(policies.can_edit_templates)
def template_reset(request, code: str):
    kind = _kind_or_404(code)
    return post_action(
        request,
        lambda: services_prefs.template_reset(actor=request.user, org=request.user.org, kind=code),
        success=_("已恢复“%(label)s”的默认模板。") % {"label": kind.label},
        to="messaging_prefs:template_edit",
        code=code,
    )


# --- the channels an org allows --------------------------------------------------------------


def _policy_org(request) -> Org:
    root = request.user.org
    wanted = query_int(request.GET.get("org") or request.POST.get("org_id"), min_value=1)
    if wanted is None or wanted == root.pk:
        return root
    org = Org.objects.visible_to(request.user).filter(pk=wanted).first()
    if org is None or not policies.can_set_channel_policy(request.user, org):
        raise NotFound()
    return org


@require(lambda u: policies.can_set_channel_policy(u))
def channel_policy(request):
    org = _policy_org(request)
    codes = preferences.configured()
    own = OrgChannelPolicy.objects.visible_to(request.user).filter(org=org).first()
    inherited, from_org_id = preferences.inherited_policy(org.pk)
    initial = {
        "mode": ChannelPolicyForm.OWN if own else ChannelPolicyForm.INHERIT,
        "channels": own.channels if own else (inherited if inherited is not None else codes),
    }
    form = ChannelPolicyForm(request.POST or None, initial=initial, codes=codes)

    def save():
        data = form.cleaned_data
        chosen = None if data["mode"] == ChannelPolicyForm.INHERIT else data["channels"]
        return services_prefs.channel_policy_save(actor=request.user, org=org, channels=chosen)

    if handle_form(request, form, save, success=_("已保存发送渠道设置。")):
        return redirect(reverse("messaging_prefs:channels") + f"?org={org.pk}")
    subtree = (
        OrgChannelPolicy.objects.visible_to(request.user)
        .select_related("org")
        .order_by("org__path")
    )
    from_org = _ancestor(org, from_org_id)
    return render(
        request,
        "messaging/channel_policy.html",
        {
            "org": org,
            "form": form,
            "chooser": OrgChoiceForm(actor=request.user, initial={"org": org.pk}),
            "configured": [(c, preferences.LABELS.get(c, c)) for c in codes],
            "inherited": [preferences.LABELS.get(c, c) for c in inherited or []],
            "inherits_all": inherited is None,
            "from_org": from_org,
            "policies": [(p, [preferences.LABELS.get(c, c) for c in p.channels]) for p in subtree],
        },
    )


# --- a person's own choice ----------------------------------------------------------------


def _address_note(user, code: str) -> str:
    from ganxun.core.crypto import mask_phone
    from ganxun.messaging.outbox import To

    address = preferences.address_for(To.user(user), code)
    if not address:
        return ""
    return mask_phone(address) if code == "sms" else address


@login_required
def my_channels(request):
    user = request.user
    if not policies.can_choose_channels(user):
        raise PermissionDenied()
    if request.method == "POST" and "kind" in request.POST:
        return _kind_choice(request)
    allowed = preferences.policy_for(user.org_id)
    prefs = {
        p.kind: p.channels for p in ChannelPreference.objects.visible_to(user).filter(user=user)
    }
    general = prefs.get("", allowed)
    form = PreferenceForm(request.POST or None, initial={"channels": general}, codes=allowed)
    saved = handle_form(
        request,
        form,
        lambda: services_prefs.preference_save(actor=user, channels=form.cleaned_data["channels"]),
        success=_("已保存通知方式。"),
    )
    if saved:
        return redirect("messaging_prefs:mine")
    channels = [
        {
            "code": c,
            "label": preferences.LABELS.get(c, c),
            "address": _address_note(user, c),
        }
        for c in allowed
    ]
    kinds = [
        {
            "kind": k,
            "chosen": prefs.get(k.code),
            "labels": [preferences.LABELS.get(c, c) for c in prefs.get(k.code) or []],
        }
        for k in registry.all_kinds()
        if k.external
    ]
    return render(
        request,
        "messaging/my_channels.html",
        {"form": form, "channels": channels, "allowed": allowed, "kinds": kinds},
    )


def _kind_choice(request):
    """A post for one kind (``kind`` in the form): its own channels, or follow the general
    choice again (``follow``)."""
    kind = _kind_or_404(request.POST.get("kind", ""))
    if request.POST.get("follow"):
        call = lambda: services_prefs.preference_clear(actor=request.user, kind=kind.code)  # noqa: E731
    else:
        chosen = request.POST.getlist("channels")
        call = lambda: services_prefs.preference_save(  # noqa: E731
            actor=request.user, channels=chosen, kind=kind.code
        )
    return post_action(
        request,
        call,
        success=_("已保存“%(label)s”的通知方式。") % {"label": kind.label},
        to="messaging_prefs:mine",
    )
