"""Outcome reports (学用成果): trainees and unit contacts file them (phone-friendly), organizers
review and publish them to the program's showcase."""

from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.catalog import files
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import action_view, form_view, paginate, post_action, require
from ganxun.outcomes import policies, selectors, services
from ganxun.outcomes.forms import OutcomeForm, ReviewForm
from ganxun.outcomes.models import Outcome
from ganxun.outcomes.views.common import form_in, program_page
from ganxun.programs import selectors as programs


@require(policies.can_submit_outcomes)
def my_outcomes(request):
    """我的学用成果: what I filed, and — for trainees — each program's progress and certificate."""
    certificates = {c.program_id: c for c in selectors.my_certificates(request.user)}
    rows = [(r, certificates.get(r.program_id)) for r in selectors.my_trainee_rows(request.user)]
    context = {"outcomes": selectors.my_outcomes(request.user)[:100], "rows": rows}
    return render(request, "outcomes/my.html", context)


def _outcome_form(request, outcome):
    if outcome is None:
        wanted = request.GET.get("program")
        return OutcomeForm(
            request.POST or None,
            request.FILES or None,
            actor=request.user,
            initial={"program": wanted} if wanted else {},
        )
    initial = {
        "title": outcome.title,
        "kind": outcome.kind,
        "change": outcome.change,
        "effect_value": "" if outcome.effect_value is None else f"{outcome.effect_value:f}",
        "effect_unit": outcome.effect_unit,
        "effect_note": outcome.effect_note,
        "unit": outcome.unit_id,
        "cadres": [c.pk for c in outcome.cadres.all()],
    }
    return OutcomeForm(
        request.POST or None,
        request.FILES or None,
        actor=request.user,
        outcome=outcome,
        initial=initial,
    )


def _to_outcome(outcome, saved=None) -> str:
    return reverse("outcomes:detail", args=[(saved or outcome).pk])


outcome_create = form_view(
    policies.can_submit_outcomes,
    form=_outcome_form,
    save=lambda request, form, _none: services.outcome_submit(
        actor=request.user, data=form.to_data(), uploads=form.cleaned_data["files"]
    ),
    success=gettext_lazy("学用成果已提交，等待审核。"),
    to=_to_outcome,
    page=form_in(
        title=gettext_lazy("提交学用成果"),
        cancel=reverse_lazy("outcomes:my"),
        narrow=True,
        multipart=True,
    ),
)


@require(policies.can_use_outcomes)
def outcome_detail(request, pk):
    outcome = selectors.get_outcome_for(request.user, pk)
    manage = policies.can_manage(request.user, outcome.program)
    context = {
        "outcome": outcome,
        "can_manage": manage,
        "can_revise": policies.can_revise(request.user, outcome),
        "review_form": ReviewForm()
        if manage and outcome.status == Outcome.Status.SUBMITTED
        else None,
    }
    return render(request, "outcomes/outcome_detail.html", context)


def _own_outcome(actor, pk):
    outcome = selectors.get_outcome_for(actor, pk)
    if outcome.submitted_by_id != actor.pk:
        raise PermissionDenied()
    return outcome


def _return_note(outcome) -> str:
    if outcome.status == Outcome.Status.RETURNED:
        return _("退回意见：%(review_note)s") % {"review_note": outcome.review_note}
    return ""


outcome_edit = form_view(
    policies.can_submit_outcomes,
    get=_own_outcome,
    form=_outcome_form,
    save=lambda request, form, outcome: services.outcome_revise(
        actor=request.user,
        outcome=outcome,
        data=form.to_data(outcome.program),
        uploads=form.cleaned_data["files"],
    ),
    success=gettext_lazy("已修改并重新提交审核。"),
    to=_to_outcome,
    page=form_in(
        title=lambda outcome: _("修改学用成果：%(title)s") % {"title": outcome.title},
        cancel=_to_outcome,
        narrow=True,
        multipart=True,
        guidance=_return_note,
    ),
)


outcome_review = action_view(
    policies.can_use_outcomes,
    get=selectors.get_outcome_for,
    form=ReviewForm,
    invalid=gettext_lazy("请选择审核结论。"),
    call=lambda request, outcome, data: services.outcome_review(
        actor=request.user, outcome=outcome, decision=data["decision"], note=data["note"]
    ),
    success=gettext_lazy("已记录审核结论，并通知了提交人。"),
    to=_to_outcome,
    once=False,
)


@require_POST
@require(policies.can_use_outcomes)
def outcome_publish(request, pk):
    outcome = selectors.get_outcome_for(request.user, pk)
    publish = request.POST.get("publish") != "0"
    return post_action(
        request,
        lambda: services.outcome_publish(actor=request.user, outcome=outcome, publish=publish),
        success=_("已在成果展示页展示。") if publish else _("已从成果展示页撤下。"),
        to="outcomes:detail",
        pk=outcome.pk,
        once=False,
    )


attachment = files.file_view(
    lambda user: user.is_authenticated,
    get=selectors.get_attachment_for,
    inline=lambda row: (
        row.content_type.startswith("image/") or row.content_type == "application/pdf"
    ),
)


@require(policies.can_see_summary)
def review_queue(request):
    """待审学用成果: everything waiting for this organizer, oldest first."""
    page = paginate(request, selectors.outcomes_to_review(request.user))
    return render(request, "outcomes/review_queue.html", {"page": page})


STATUS_FILTERS = [("", gettext_lazy("全部")), *Outcome.Status.choices]


@require(policies.can_see_summary)
def program_outcomes(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    status = request.GET.get("status", "")
    if status not in Outcome.Status.values:
        status = ""
    context = {
        "page": paginate(request, selectors.program_outcomes(program, status=status)),
        "status": status,
        "filters": STATUS_FILTERS,
        "counts": selectors.outcome_status_counts(program),
    }
    return program_page(request, "outcomes/program_outcomes.html", program, "outcomes", context)


@require(lambda u: u.is_authenticated)
def showcase(request, pk):
    """成果展示: the program's published outcomes, for everyone who sees the program."""
    program = programs.get_program_for(request.user, pk)
    context = {"outcomes": selectors.showcase(program)}
    return program_page(request, "outcomes/showcase.html", program, "showcase", context)
