"""Organizer and lecturer pages: a program's evaluation tab (live response rates, results,
rankings, suggestion themes, Excel), the form settings, a session's results and the results
of a lecturer, course, theme, unit or venue."""

from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.exports import audited_download
from ganxun.core.http import action_view, handle_form, require, run_action
from ganxun.evaluations import aggregates, exports, policies, selectors, services
from ganxun.evaluations.forms import SetupForm
from ganxun.programs import selectors as program_selectors
from ganxun.programs.models import Session
from ganxun.programs.policies import can_use_programs
from ganxun.programs.views.common import program_page
from ganxun.surveys.answering import load_items

TAB = "evaluations"


def _program_context(program) -> dict:
    results = selectors.program_results(program)
    sessions = selectors.program_sessions_rates(program)
    return {
        "results": results,
        "sessions": sessions,
        "total": selectors.rates_total(sessions),
        "themes": selectors.suggestion_themes(results["suggestions"]),
        "chart": {
            "questions": [q["label"] for q in results["by_question"]],
            "means": [q["mean"] for q in results["by_question"]],
            "distribution": [q["distribution"] for q in results["by_question"]],
            "trend": results["trend"],
        },
    }


@require(policies.can_manage_evaluations)
def program_overview(request, pk):
    program = program_selectors.get_program_for(request.user, pk)
    context = _program_context(program)
    context["can_configure"] = policies.can_configure(request.user, program)
    return program_page(request, "evaluations/program.html", program, TAB, context)


@require(policies.can_manage_evaluations)
def program_rates(request, pk):
    """The live response-rate table, polled by htmx while the page is open."""
    program = program_selectors.get_program_for(request.user, pk)
    sessions = selectors.program_sessions_rates(program)
    return render(
        request,
        "evaluations/_rates.html",
        {"program": program, "sessions": sessions, "total": selectors.rates_total(sessions)},
    )


@require(policies.can_manage_evaluations)
def program_export(request, pk):
    program = program_selectors.get_program_for(request.user, pk)
    results = selectors.program_results(program)
    body = exports.program_xlsx(
        program, results, selectors.program_sessions_rates(program), actor=request.user
    )
    return audited_download(
        actor=request.user,
        content=body,
        filename=f"evaluations-{program.pk}.xlsx",
        obj=program,
        changes={"what": "评价结果"},
    )


@require(policies.can_manage_evaluations)
def program_setup(request, pk):
    program = program_selectors.get_managed_program_for(request.user, pk)
    setup = services.setup_ensure(program)
    form = SetupForm(
        request.POST or None,
        initial={
            "close_hours": setup.close_hours,
            "open_minutes_before_end": setup.open_minutes_before_end,
        },
    )
    if handle_form(
        request,
        form,
        lambda: services.setup_update(
            actor=request.user,
            program=program,
            close_hours=form.cleaned_data["close_hours"],
            open_minutes_before_end=form.cleaned_data["open_minutes_before_end"],
        ),
        success=_("已保存。"),
    ):
        return redirect("evaluations:program_setup", pk=program.pk)
    setup = services.setup_ensure(program)
    return program_page(
        request,
        "evaluations/setup.html",
        program,
        TAB,
        {"form": form, "setup": setup, "items": load_items(setup.questionnaire)},
    )


@require_POST
@require(policies.can_manage_evaluations)
def program_customize(request, pk):
    program = program_selectors.get_managed_program_for(request.user, pk)
    draft = run_action(
        request, lambda: services.form_customize(actor=request.user, program=program)
    )
    if not draft:
        return redirect("evaluations:program_setup", pk=program.pk)
    return redirect("surveys:builder", pk=draft.result.pk)


program_activate = action_view(
    policies.can_manage_evaluations,
    get=program_selectors.get_managed_program_for,
    call=lambda request, program: services.form_activate(actor=request.user, program=program),
    success=gettext_lazy("新的评价表已启用，之后的评价使用新表。"),
    to=lambda program: reverse("evaluations:program_setup", args=[program.pk]),
)


@require(can_use_programs)
def session_results(request, pk):
    actor = request.user
    session = selectors.get_session_results_for(actor, pk)
    results = selectors.session_results(actor, session)
    readable = policies.can_read_answers(actor, session.program)
    answers = themes = None
    pending = None
    if readable:
        pending = selectors.pending_by_session(Session.objects.filter(pk=session.pk))
        pending = pending.get(session.pk, 0)
        answers = selectors.session_answers(session, with_names=policies.names_visible())
        texts = aggregates.suggestions(aggregates.evaluations(Q(session=session)))
        themes = selectors.suggestion_themes(texts)
    chart = None
    if not results["hidden"]:
        chart = {
            "questions": [q["label"] for q in results["by_question"]],
            "means": [q["mean"] for q in results["by_question"]],
            "distribution": [q["distribution"] for q in results["by_question"]],
            "trend": [],
        }
    return render(
        request,
        "evaluations/session_results.html",
        {
            "session": session,
            "results": results,
            "answers": answers,
            "themes": themes,
            "chart": chart,
            "names": policies.names_visible(),
            "pending": pending,
            # what the lecturer reads: published comments, only from the threshold on
            "published": selectors.published_comments(Session.objects.filter(pk=session.pk)).get(
                session.pk, []
            ),
        },
    )


def _dimension_view(dim: str):
    @require(can_use_programs)
    def view(request, pk):
        obj = selectors.get_dimension_object_for(request.user, dim, pk)
        results = selectors.dimension_results(request.user, dim, obj)
        chart = None
        if not results["hidden"]:
            chart = {
                "questions": [q["label"] for q in results["by_question"]],
                "means": [q["mean"] for q in results["by_question"]],
                "distribution": [q["distribution"] for q in results["by_question"]],
                "trend": results["trend"],
            }
        return render(
            request,
            "evaluations/dimension.html",
            {
                "dim_label": selectors.DIMENSIONS[dim][0],
                "obj": obj,
                "results": results,
                "chart": chart,
                "sessions": selectors.dimension_sessions(request.user, dim, obj),
                "threshold": policies.min_group(),
            },
        )

    view.__name__ = f"{dim}_results"
    return view


lecturer_results = _dimension_view("lecturer")
course_results = _dimension_view("course")
theme_results = _dimension_view("theme")
org_results = _dimension_view("org")
venue_results = _dimension_view("venue")
