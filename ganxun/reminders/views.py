"""Reminder switches (an org's subtree, a program's tab) and 催办 from the tracking pages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.http import require, run_action
from ganxun.enrollment.services import quota_units, quotas_remind
from ganxun.needs import policies as needs_policies
from ganxun.needs import selectors as needs_selectors
from ganxun.orgs.selectors import get_org_for
from ganxun.programs import selectors as program_selectors
from ganxun.programs.policies import can_manage_programs, can_use_programs
from ganxun.programs.views.common import program_page
from ganxun.reminders import chase, policies, selectors, services
from ganxun.reminders.forms import SettingForm

TAB = "reminders"


# --- switches --------------------------------------------------------------------------------


def _save(request, *, org=None, program=None) -> None:
    form = SettingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("提交的设置不完整，请重试。"))
        return
    data = form.cleaned_data
    if data["reset"]:
        run_action(
            request,
            lambda: services.setting_reset(
                actor=request.user, kind=data["kind"], org=org, program=program
            ),
            success=_("已恢复为继承的设置。"),
        )
        return
    run_action(
        request,
        lambda: services.setting_save(
            actor=request.user,
            kind=data["kind"],
            enabled=data["enabled"],
            value=data["value"],
            dates=data["dates"] or "",
            org=org,
            program=program,
        ),
        success=_("提醒设置已保存。"),
    )


@require(policies.can_configure_reminders)
def org_settings(request):
    """The switches of an org's subtree (default: the actor's own org)."""
    org = get_org_for(request.user, request.GET.get("org")) if request.GET.get("org") else None
    org = org or request.user.org
    if org is None or not policies.can_configure_org(request.user, org):
        raise PermissionDenied()
    if request.method == "POST":
        _save(request, org=org)
        return redirect(f"{reverse('reminders:settings')}?org={org.pk}")
    context = {"org": org, "lines": selectors.org_lines(org)}
    return render(request, "reminders/settings.html", context)


@require(can_use_programs)
def program_settings(request, pk):
    """The program's tab: its switches (overriding its org's), what was sent, and 催办."""
    program = program_selectors.get_program_for(request.user, pk)
    if not policies.can_configure_program(request.user, program):
        raise PermissionDenied()
    if request.method == "POST":
        _save(request, program=program)
        return redirect("reminders:program", pk=program.pk)
    context = {
        "lines": selectors.program_lines(program),
        "fired": selectors.program_fired(request.user, program),
    }
    return program_page(request, "reminders/program.html", program, TAB, context)


# --- 催办 ------------------------------------------------------------------------------------


def _said(result: dict) -> str:
    text = _("已催办 %(people)s 人，发出 %(notices)s 条消息。") % result
    if result["skipped"]:
        text += _("另有 %(skipped)s 项今天已催办过，未重复。") % result
    return text


def _chase_page(request, *, plan, title: str, back: str, call):
    if request.method == "POST":
        outcome = run_action(request, call, success=_said)
        return redirect(back if outcome else request.get_full_path())
    context = {"plan": plan, "title": title, "back": back}
    return render(request, "reminders/chase.html", context)


@require(needs_policies.can_track_needs)
def chase_survey(request, pk):
    survey = needs_selectors.get_survey_for(request.user, pk)
    unit = request.GET.get("unit")
    node = (
        get_org_for(request.user, unit)
        if unit
        else needs_selectors.tracking_node(request.user, survey)
    )
    owner = survey.questionnaire.org
    if not (node.path.startswith(owner.path) or owner.path.startswith(node.path)):
        node = needs_selectors.tracking_node(request.user, survey)
    back = reverse("needs:respondents", args=[survey.pk]) + (f"?unit={node.pk}" if unit else "")
    return _chase_page(
        request,
        plan=chase.survey_plan(actor=request.user, survey=survey, node=node),
        title=_("催办未提交问卷的人员：%(survey)s · %(node)s")
        % {"survey": survey.title, "node": node.name},
        back=back,
        call=lambda: chase.survey_chase(actor=request.user, survey=survey, node=node),
    )


def _managed_program(request, pk):
    return program_selectors.get_managed_program_for(request.user, pk)


@require(can_manage_programs)
def chase_evaluations(request, pk):
    program = _managed_program(request, pk)
    return _chase_page(
        request,
        plan=chase.evaluation_plan(actor=request.user, program=program),
        title=_("催办未填写课堂评价的学员：%(program)s") % {"program": program.full_name},
        back=reverse("evaluations:program", args=[program.pk]),
        call=lambda: chase.evaluation_chase(actor=request.user, program=program),
    )


@require(can_manage_programs)
def chase_outlines(request, pk):
    program = _managed_program(request, pk)
    return _chase_page(
        request,
        plan=chase.outline_plan(actor=request.user, program=program),
        title=_("催交授课提纲：%(program)s") % {"program": program.full_name},
        back=reverse("programs:outlines", args=[program.pk]),
        call=lambda: chase.outline_chase(actor=request.user, program=program),
    )


@require(can_manage_programs)
def chase_quotas(request, pk):
    """Units with seats that nominated nobody: enrollment's own 提醒 (once a day per unit),
    behind a page that says how many will be told."""
    program = _managed_program(request, pk)
    back = reverse("enrollment:program_quotas", args=[program.pk])
    if request.method == "POST":
        outcome = run_action(
            request,
            lambda: quotas_remind(actor=request.user, program=program),
            success=lambda r: _("已提醒 %(units)s 个单位，发出 %(notices)s 条消息。") % r,
        )
        return redirect(back if outcome else request.get_full_path())
    pending = [u for u in quota_units(program) if u.used == 0 and u.seats > 0]
    context = {
        "title": _("催办未报名的单位：%(program)s") % {"program": program.full_name},
        "back": back,
        "units": pending,
        "due_units": [u for u in pending if u.remind_due],
        "contacts": sum(len(u.contacts) for u in pending if u.remind_due),
    }
    return render(request, "reminders/chase_quotas.html", context)
