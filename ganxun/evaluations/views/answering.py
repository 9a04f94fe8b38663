"""Trainee pages: the satisfaction form of a session, the thanks page, pending forms and tests."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.core.errors import DomainError
from ganxun.evaluations import selectors, services
from ganxun.evaluations.services.assessments import assessment_questions
from ganxun.surveys import answering


def _form_state(actor, session):
    # The program's settings are made on first use (a write): explicitly, here, not in the read.
    setup = services.setup_ensure(session.program)
    return selectors.form_state(actor, session, setup)


@login_required
def session_form(request, pk):
    """GET: the form (filled with the earlier answers when editing). POST: submit or edit.
    Refusals (not attended, closed, …) are shown on the page with the reason, status 403/400."""
    actor = request.user
    session = selectors.get_session_for_form(actor, pk)
    state = _form_state(actor, session)
    items, error, status = None, "", 200
    if request.method == "POST":
        try:
            services.evaluation_submit(
                actor=actor,
                session=session,
                data=answering.Answers.from_post(request.POST),
                submission_key=request.POST.get("key", ""),
            )
        except DomainError as exc:
            error, status = exc.message, 400
            if exc.code == "invalid":
                questionnaire = (
                    state.evaluation.response.questionnaire
                    if state.evaluation
                    else state.setup.questionnaire
                )
                items = answering.parse(questionnaire, request.POST, final=True).items
            else:
                state = _form_state(actor, session)
        else:
            return redirect("evaluations:session_thanks", pk=session.pk)
    if not state.can_answer:
        error, status = error or state.refusal.message, 403 if status == 200 else status
    elif items is None:
        items = state.items()
    return render(
        request,
        "evaluations/session_form.html",
        {
            "session": session,
            "state": state,
            "items": items if state.can_answer else None,
            "error": error,
            "key": secrets.token_hex(8),
        },
        status=status,
    )


@login_required
def session_thanks(request, pk):
    session = selectors.get_session_for_form(request.user, pk)
    state = _form_state(request.user, session)
    if state.evaluation is None:
        return redirect("evaluations:session_form", pk=session.pk)
    return render(
        request,
        "evaluations/thanks.html",
        {"session": session, "state": state, "pending": selectors.my_pending_forms(request.user)},
    )


@login_required
def mine(request):
    return render(
        request,
        "evaluations/mine.html",
        {
            "pending": selectors.my_pending_forms(request.user),
            "tests": selectors.my_assessments(request.user),
        },
    )


@login_required
def assessment_take(request, pk):
    """A trainee's test: the questions while it is open and not yet taken, then the score."""
    actor = request.user
    assessment = selectors.get_assessment_for(actor, pk)
    attempt = next(
        (t.my_attempt for t in selectors.my_assessments(actor) if t.pk == assessment.pk), None
    )
    questions = assessment_questions(assessment)
    errors, chosen, error = {}, {}, ""
    if request.method == "POST" and attempt is None:
        try:
            attempt = services.assessment_submit(
                actor=actor,
                assessment=assessment,
                data=answering.Answers.from_post(request.POST),
            )
            messages.success(request, _("已提交，成绩如下。"))
            return redirect("evaluations:assessment_take", pk=assessment.pk)
        except DomainError as exc:
            error = exc.message
            errors = {int(k): v for k, v in exc.details.get("errors", {}).items()}
            chosen = {q.pk: [str(v) for v in request.POST.getlist(f"q{q.pk}")] for q in questions}
    rows = [
        {
            "q": q,
            "options": [(str(i), chr(65 + i), text) for i, text in enumerate(q.options)],
            "chosen": chosen.get(q.pk, []),
            "error": errors.get(q.pk, ""),
            "mine": (attempt.answers.get(str(q.pk), []) if attempt else []),
        }
        for q in questions
    ]
    return render(
        request,
        "evaluations/assessment_take.html",
        {
            "assessment": assessment,
            "attempt": attempt,
            "rows": rows,
            "error": error,
            "back": reverse("evaluations:mine"),
        },
        status=400 if error else 200,
    )
