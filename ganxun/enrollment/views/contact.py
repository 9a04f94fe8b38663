"""The unit contact's pages: my quotas, nominate from the roster, withdraw or replace a
nominee; and the leave requests waiting for a decision (contacts and organizers)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import paginate, require, run_action
from ganxun.core.values import query_int
from ganxun.enrollment import policies, selectors, services
from ganxun.enrollment.forms import DecideForm
from ganxun.enrollment.models import Nomination
from ganxun.enrollment.views.coverage import warn_nominee_coverage
from ganxun.orgs.models import Cadre
from ganxun.programs import policies as program_policies


def _contact_quota(request, pk):
    quota = selectors.get_quota_for(request.user, pk)
    if not policies.can_nominate_for(request.user, quota):
        raise PermissionDenied()
    return quota


def _picked_cadre(request) -> Cadre:
    raw = query_int(request.POST.get("cadre"), min_value=1)
    cadre = (
        Cadre.objects.visible_to(request.user).select_related("unit").filter(pk=raw).first()
        if raw is not None
        else None
    )
    if cadre is None:
        raise NotFound(_("所选干部不存在，或不在您的名册中。"))
    return cadre


@require(policies.is_contact)
def my_quotas(request):
    return render(
        request, "enrollment/my_quotas.html", {"quotas": selectors.contact_quotas(request.user)}
    )


@require(policies.is_contact)
def quota_detail(request, pk):
    """The quota's nominees (history included) and the roster to nominate from."""
    quota = _contact_quota(request, pk)
    q = request.GET.get("q", "").strip()
    replacing = None
    if (replace := query_int(request.GET.get("replace"), min_value=1)) is not None:
        replacing = selectors.get_nomination_for(request.user, replace)
        if replacing.quota_id != quota.pk or not replacing.is_live:
            replacing = None
    page = paginate(request, selectors.nomination_candidates(request.user, quota, q), 30)
    selectors.annotate_eligibility(list(page.object_list), quota.program)
    nominations = selectors.quota_nominations(quota)
    used = sum(1 for n in nominations if n.is_live)
    context = {
        "quota": quota,
        "program": quota.program,
        "nominations": nominations,
        "used": used,
        "left": max(0, quota.seats - used),
        "page": page,
        "q": q,
        "replacing": replacing,
    }
    return render(request, "enrollment/quota_detail.html", context)


@require_POST
@require(policies.is_contact)
def nominate(request, pk):
    quota = _contact_quota(request, pk)
    cadre = _picked_cadre(request)
    done = run_action(
        request,
        lambda: services.nomination_create(
            actor=request.user, quota=quota, cadre=cadre, note=request.POST.get("note", "")
        ),
        success=_("已报名%(name)s，等待主办方确认。") % {"name": cadre.name},
    )
    if done:
        warn_nominee_coverage(request, done.result)
    return redirect("enrollment:quota", pk=quota.pk)


@require_POST
@require(policies.is_contact)
def nomination_withdraw(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    run_action(
        request,
        lambda: services.nomination_withdraw(actor=request.user, nomination=nomination),
        success=_("已撤回%(name)s的报名。") % {"name": nomination.cadre.name},
    )
    return redirect("enrollment:quota", pk=nomination.quota_id)


@require_POST
@require(policies.is_contact)
def nomination_replace(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    if nomination.status not in Nomination.LIVE:
        raise NotFound()
    cadre = _picked_cadre(request)
    ok = run_action(
        request,
        lambda: services.nomination_replace(
            actor=request.user,
            nomination=nomination,
            cadre=cadre,
            note=request.POST.get("note", ""),
        ),
        success=_("已由%(name)s替换%(name2)s，等待主办方确认。")
        % {"name": cadre.name, "name2": nomination.cadre.name},
    )
    url = reverse("enrollment:quota", args=[nomination.quota_id])
    return redirect(url if ok else f"{url}?replace={nomination.pk}")


def _decides_leave(user) -> bool:
    return policies.is_contact(user) or program_policies.can_manage_programs(user)


@require(_decides_leave)
def leave_inbox(request):
    rows = selectors.leave_to_decide(request.user)
    return render(request, "enrollment/leave_inbox.html", {"rows": rows, "form": DecideForm()})


@require_POST
@require(_decides_leave)
def leave_decide(request, pk):
    leave = selectors.get_leave_for(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        from django.contrib import messages

        messages.error(request, _("请选择同意或不同意。"))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        run_action(
            request,
            lambda: services.leave_decide(
                actor=request.user, leave=leave, approve=approve, note=form.cleaned_data["note"]
            ),
            success=_("已处理%(name)s的请假。") % {"name": leave.cadre.name},
        )
    back = request.POST.get("next", "")
    if back.startswith("/enrollment/"):
        return redirect(back)
    return redirect("enrollment:leave_inbox")
