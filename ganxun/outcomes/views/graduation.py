"""Graduation: criteria, the organizer's graduation table with bulk confirmation, the trainee's
step-by-step progress (过关斩将) and the printable certificate."""

import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import action_view, form_view, require, run_action
from ganxun.outcomes import policies, progress, selectors, services
from ganxun.outcomes.forms import RevokeForm, RuleForm
from ganxun.outcomes.views.common import form_in, program_page


@require(policies.can_see_summary)
def graduation(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    rule = services.rule_for(program)
    rows = progress.program_progress(program, rule, progress.trainees_of(program)) if rule else []
    context = {
        "rule": rule,
        "rows": rows,
        "ready": sum(1 for r in rows if r.ready and not r.graduated),
        "graduated": sum(1 for r in rows if r.graduated),
        "revoked": selectors.program_certificates(program).filter(revoked_at__isnull=False),
        "criteria": rows[0].criteria if rows else [],
        "over": progress.program_over(program),
        "last_end": progress.last_session_end(program),
    }
    return program_page(request, "outcomes/graduation.html", program, "graduation", context)


def _to_graduation(program, _result=None) -> str:
    return reverse("outcomes:graduation", args=[program.pk])


rule_edit = form_view(
    policies.can_see_summary,
    get=selectors.get_managed_program_for,
    form=lambda request, program: RuleForm(
        request.POST or None, initial=RuleForm.initial_for(services.rule_for(program), program)
    ),
    save=lambda request, form, program: services.rule_save(
        actor=request.user, program=program, data=form.to_data()
    ),
    success=gettext_lazy("已保存结业条件。"),
    to=_to_graduation,
    page=form_in(
        title=gettext_lazy("结业条件"),
        cancel=_to_graduation,
        program=lambda program: program,
        guidance=gettext_lazy(
            "学员达到全部条件后，由组织者确认结业并颁发结业证书。留空的条件不作要求。"
        ),
    ),
)


@require_POST
@require(policies.can_see_summary)
def graduates_confirm(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    ids = [c for c in request.POST.getlist("cadre") if c.isdigit()]
    done = run_action(
        request,
        lambda: services.graduates_confirm(
            actor=request.user,
            program=program,
            cadre_ids=ids,
            early_reason=request.POST.get("early_reason", ""),
        ),
        success=lambda result: (
            _("已确认 %(n_issued)s 名学员结业并颁发结业证书。") % {"n_issued": len(result.issued)}
            if result.issued
            else ""
        ),
        once=False,
    )
    if done and done.result.skipped:
        messages.warning(request, _("未结业：") + _("；").join(done.result.skipped[:20]))
    return redirect("outcomes:graduation", pk=program.pk)


@require(policies.is_trainee)
def my_progress(request, pk):
    """过关斩将: each criterion with ✓/✗ and what is left, on the trainee's phone."""
    rows = [r for r in selectors.my_trainee_rows(request.user) if str(r.program_id) == str(pk)]
    if not rows:
        raise NotFound()
    program = rows[0].program
    rule = services.rule_for(program)
    trainees = progress.trainees_of(program, [request.user.cadre_id])
    mine = progress.program_progress(program, rule, trainees)[0] if rule else None
    return render(
        request,
        "outcomes/my_progress.html",
        {"program": program, "rule": rule, "row": mine},
    )


@require(lambda u: u.is_authenticated)
def certificate(request, pk):
    cert = selectors.get_certificate_for(request.user, pk)
    manage = policies.can_manage(request.user, cert.program)
    verify_url = request.build_absolute_uri(reverse("verify_code", args=[cert.display_code]))
    context = {
        "cert": cert,
        "verify_url": verify_url,
        "qr": segno.make(verify_url, error="m").svg_data_uri(scale=4, border=1),
        "can_manage": manage,
        "revoke_form": RevokeForm() if manage and not cert.is_revoked else None,
    }
    return render(request, "outcomes/certificate.html", context)


def _managed_certificate(actor, pk):
    cert = selectors.get_certificate_for(actor, pk)
    if not policies.can_manage(actor, cert.program):
        raise PermissionDenied()
    return cert


certificate_revoke = action_view(
    policies.can_see_summary,
    get=_managed_certificate,
    form=RevokeForm,
    invalid=gettext_lazy("请填写撤销原因。"),
    call=lambda request, cert, data: services.certificate_revoke(
        actor=request.user, certificate=cert, reason=data["reason"]
    ),
    success=gettext_lazy("证书已撤销；验证页面将显示“已撤销”。"),
    to=lambda cert: reverse("outcomes:certificate", args=[cert.pk]),
    once=False,
)
