"""Staggered batches: start the solver, watch it, see the split per unit, edit it by hand;
classroom assignment."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.bulk import bulk_confirmed
from ganxun.core.errors import NotFound
from ganxun.core.http import action_view, require, run_action
from ganxun.core.jobs import job_for
from ganxun.core.models import Job
from ganxun.core.values import query_int
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms import BatchForm
from ganxun.programs.models import ProgramTrainee
from ganxun.programs.services.batches import (
    KIND,
    classroom_capacity,
    pending_solution,
    program_venues,
)
from ganxun.programs.views.common import program_page, warn_duty_coverage


@require(policies.can_manage_programs)
def batches(request, pk):
    actor = request.user
    program = selectors.get_program_for(actor, pk)
    form = BatchForm(
        initial={"batches": max(program.batch_count, 2), "min_on_duty": program.min_on_duty}
    )
    main, subs = program_venues(program)
    # A solved split waits for the organizer: previewed (who goes where), written on confirming.
    pending = pending_solution(program) if policies.can_manage_program(actor, program) else None
    context = {
        "preview": pending
        and services.batch_apply_preview(actor=actor, program=program, job=pending),
        "repost": [],
        "form": form,
        "overview": selectors.batch_overview(program),
        "violations": services.program_violations(program),
        "verdict": program.last_solve,
        "seats": classroom_capacity(program),
        "main_venue": main,
        "sub_venues": subs,
        "columns": [*program.batch_numbers(), None],
    }
    return program_page(request, "programs/batches.html", program, "batches", context)


batch_solve = action_view(
    policies.can_manage_programs,
    get=selectors.get_managed_program_for,
    form=BatchForm,
    invalid=gettext_lazy("请填写有效的批次数和在岗比例。"),
    # a double click starts one solver run
    call=lambda request, program, data: services.batch_solve_start(
        actor=request.user,
        program=program,
        batches=data["batches"],
        min_on_duty=data["min_on_duty"],
    ),
    to=lambda program: reverse("programs:batches", args=[program.pk]),
    done_to=lambda program, job: reverse("programs:batch_job", args=[job.pk]),
)


def _apply_and_warn(request, program) -> int:
    moved = services.batch_apply(
        actor=request.user, program=program, fingerprint=bulk_confirmed(request)[1] or ""
    )
    # the new batches may leave a unit's leaders all away on one day across programs
    # scope: the trainees of the program the actor manages (fetched above)
    trainees = ProgramTrainee._base_manager.filter(program=program).values_list(
        "cadre_id", flat=True
    )
    warn_duty_coverage(request, program=program, cadre_ids=trainees)
    return moved


# Write the solved split the organizer has just previewed on the batches page.
batch_apply = action_view(
    policies.can_manage_programs,
    get=selectors.get_managed_program_for,
    call=lambda request, program: _apply_and_warn(request, program),
    success=lambda program, moved: (
        _("已按方案分批，%(moved)s 名学员的批次有变化。") % {"moved": moved}
    ),
    to=lambda program: reverse("programs:batches", args=[program.pk]),
    once=False,
)


@require(policies.can_manage_programs)
def batch_job(request, pk):
    """Progress, polled by htmx; sent back to the batches page once the solver is done."""
    job = job_for(request.user, pk)
    if job is None or job.kind != KIND:
        raise NotFound()
    if job.finished:
        if job.status == Job.Status.FAILED:
            messages.error(request, job.message or _("分批求解失败。"))
        target = reverse("programs:batches", args=[job.params["program"]])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    template = "programs/_batch_progress.html" if request.htmx else "programs/batch_job.html"
    return render(request, template, {"job": job})


@require_POST
@require(policies.can_manage_programs)
def trainee_batch(request, pk):
    """Move one trainee to another batch by hand; the rules are re-checked at once."""
    trainee = selectors.get_trainee_for(request.user, pk)
    raw = request.POST.get("batch", "")
    moved = run_action(
        request,
        lambda: services.trainee_set_batch(
            actor=request.user, trainee=trainee, batch=query_int(raw, min_value=0)
        ),
        once=False,
    )
    violations = moved.result  # None when refused
    if request.htmx:
        context = {"violations": violations, "program": trainee.program, "after_edit": True}
        return render(request, "programs/_violations.html", context)
    if violations:
        messages.warning(request, _("调整后：") + _("；").join(violations[:5]))
    elif violations == []:
        messages.success(
            request,
            _("已将%(name)s调到%(batch)s，分批规则均满足。")
            % {"name": trainee.cadre.name, "batch": _label(trainee.batch)},
        )
    return redirect(
        request.POST.get("next") or reverse("programs:trainees", args=[trainee.program_id])
    )


def _label(batch) -> str:
    return _("第%(batch)s批") % {"batch": batch} if batch else _("未分批")


@require_POST
@require(policies.can_manage_programs)
def venues_assign(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    done = run_action(
        request,
        lambda: services.venues_assign(actor=request.user, program=program),
        success=lambda result: (
            _("已为 %(assigned)s 名学员分配教室。") % {"assigned": sum(result["assigned"].values())}
        ),
        once=False,
    )
    if not done:
        return redirect("programs:batches", pk=program.pk)
    result = done.result
    if result["overflow"]:
        where = _("、").join(
            _("%(unit)s %(n)s 人") % {"unit": unit, "n": n} for unit, n in result["overflow"][:10]
        )
        total = sum(n for _u, n in result["overflow"])
        messages.warning(
            request,
            _("有 %(total)s 名学员因教室容量不足未能安排：%(where)s。")
            % {"total": total, "where": where},
        )
    for warning in result["unused"][:10]:
        messages.warning(request, warning)
    return redirect("programs:batches", pk=program.pk)
