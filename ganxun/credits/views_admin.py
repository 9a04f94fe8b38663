"""Requirements and crediting rules, the external-learning import, the program bonus."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core import hours
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import form_view, require
from ganxun.core.import_views import ImportSteps, rows_context, upload_start
from ganxun.core.models import Job
from ganxun.credits import importing, policies, selectors, services
from ganxun.credits.forms import BonusForm, ImportForm, RequirementForm, SettingsForm
from ganxun.credits.jobs import credits_sync_start
from ganxun.credits.ledger import credit_settings
from ganxun.credits.models import Channel, CreditSettings, Requirement
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster.jobs import save_upload
from ganxun.programs.selectors import get_managed_program_for

RANK_LABELS = dict(Cadre.Rank.choices)
CHANNEL_LABELS = dict(Channel.choices)


def _describe(req: Requirement) -> dict:
    caps = [
        _("%(channel)s最多计入 %(share)s")
        % {"channel": CHANNEL_LABELS.get(int(c), c), "share": f"{float(s):.0%}"}
        for c, s in (req.caps or {}).items()
    ]
    return {
        "req": req,
        "ranks": "、".join(str(RANK_LABELS.get(r, r)) for r in req.ranks),
        "channels": "、".join(str(CHANNEL_LABELS.get(int(c), c)) for c in req.channels)
        or _("全部渠道"),
        "caps": "；".join(caps),
    }


@require(policies.can_view_compliance)
def rules(request):
    """The requirements in force, each with its source; administrators edit them."""
    user = request.user
    context = {
        "requirements": [
            {**_describe(r), "can_edit": policies.can_edit_requirement(user, r)}
            for r in selectors.visible_requirements(user)
        ],
        "settings": credit_settings(),
        "hours_source": hours.SOURCE,
        "can_manage": policies.can_manage_rules(user),
        "owns_city_rules": policies.owns_city_rules(user),
    }
    return render(request, "credits/rules.html", context)


def _editable_requirement(actor, pk):
    if pk is None:
        return None
    req = selectors.visible_requirements(actor).filter(pk=pk).first()
    if req is None:
        raise NotFound()
    if not policies.can_edit_requirement(actor, req):
        raise PermissionDenied()
    return req


rule_edit = form_view(
    policies.can_manage_rules,
    get=_editable_requirement,
    form=lambda request, req: RequirementForm.for_requirement(req, request.POST or None),
    save=lambda request, form, req: services.requirement_save(
        actor=request.user, requirement=req, data=form.to_data()
    ),
    success=gettext_lazy("已保存学时要求。"),
    to=lambda _req, _saved: reverse("credits:rules"),
    page=lambda request, form, req: render(
        request, "credits/rule_form.html", {"form": form, "req": req}
    ),
)


@require_POST
@require(policies.owns_city_rules)
def rules_restore(request):
    added = services.requirements_restore_defaults(actor=request.user)
    messages.success(
        request,
        _("已恢复默认要求 %(n)s 条。") % {"n": added} if added else _("默认要求都在，无需恢复。"),
    )
    return redirect("credits:rules")


@require(policies.owns_city_rules)
def settings_edit(request):
    row = CreditSettings.current()
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        services.settings_save(actor=request.user, data=data)
        messages.success(request, _("已保存学时计算规则；已有出勤学时可用“重算学时”更新。"))
        return redirect("credits:rules")
    return render(request, "credits/settings_form.html", {"form": form})


@require_POST
@require(policies.owns_city_rules)
def sync_start(request):
    job = credits_sync_start(actor=request.user)
    return redirect("core:job", pk=job.pk)


@require(policies.can_record_credits)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    started = upload_start(
        request,
        form,
        lambda **stored: importing.import_start(
            actor=request.user, platform=form.cleaned_data["platform"], **stored
        ),
        store=save_upload,
        job_url="credits:import_job",
        field=lambda exc: "platform" if exc.field == "platform" else "file",
    )
    if started:
        return started
    return render(request, "credits/import_form.html", {"form": form})


IMPORTS = ImportSteps(
    policies.can_record_credits,
    kinds=importing.KINDS,
    preview_kind=importing.PREVIEW,
    commit=importing.commit_start,
    urls=("credits:import_job", "credits:import_rows"),
    templates=("credits/import_job.html", "credits/_import_progress.html"),
)
import_job = IMPORTS.progress_view()
import_commit = IMPORTS.commit_view()


@require(policies.can_record_credits)
def import_rows(request, pk):
    job = IMPORTS.job(request, pk)
    if job.status != Job.Status.SUCCEEDED:
        return redirect("credits:import_job", pk=job.pk)
    status = request.GET.get("status", "")
    records = job.result.get("records", [])
    if status in importing.STATUSES:
        records = [r for r in records if r["status"] == status]
    context = rows_context(
        request,
        job,
        records,
        statuses=importing.STATUSES,
        labels=importing.STATUS_LABELS,
        preview_kind=importing.PREVIEW,
    )
    context["can_commit"] = job.kind == importing.PREVIEW and job.result.get("counts", {}).get(
        importing.NEW
    )
    return render(request, "credits/import_rows.html", context)


def _bonus_form(request, program):
    rule = selectors.program_rule(program)
    initial = {"bonus_hours": rule.bonus_hours, "note": rule.note} if rule else {}
    return BonusForm(request.POST or None, initial=initial)


# The organizer sets the 学时 a graduate of the program is credited.
program_bonus = form_view(
    lambda u: u.is_authenticated,
    get=get_managed_program_for,
    form=_bonus_form,
    save=lambda request, form, program: services.program_rule_save(
        actor=request.user,
        program=program,
        bonus_hours=form.cleaned_data["bonus_hours"],
        note=form.cleaned_data["note"],
    ),
    success=gettext_lazy("已保存结业奖励学时。"),
    to=lambda program, _rule: reverse("credits:program_bonus", args=[program.pk]),
    page=lambda request, form, program: render(
        request, "credits/program_bonus.html", {"program": program, "form": form}
    ),
)
