"""Organizer pages of tests (测评): the question bank, a program's pre/post tests and gains."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ganxun.core.errors import DomainError
from ganxun.core.http import action_view, handle_form, paginate, post_action, require
from ganxun.core.idempotency import submit_once
from ganxun.evaluations import policies, selectors, services
from ganxun.evaluations.forms import AssessmentForm, BankQuestionForm
from ganxun.evaluations.models import BankQuestion
from ganxun.evaluations.progress import program_learning
from ganxun.evaluations.services.assessments import assessment_questions
from ganxun.programs import selectors as program_selectors
from ganxun.programs.views.common import program_page

TAB = "evaluations"


@require(policies.can_manage_evaluations)
def program_tests(request, pk):
    program = program_selectors.get_program_for(request.user, pk)
    can_manage = policies.can_configure(request.user, program)
    form = AssessmentForm(request.POST or None, program=program) if can_manage else None
    if form is not None:
        created = handle_form(
            request,
            form,
            lambda: services.assessment_save(
                actor=request.user, program=program, data=form.to_data()
            ),
            _("已新建测评，请从题库选题。"),
        )
        if created:
            return redirect("evaluations:assessment", pk=created.pk)
    return program_page(
        request,
        "evaluations/program_tests.html",
        program,
        TAB,
        {
            "form": form,
            "tests": selectors.program_assessments(program),
            "results": selectors.assessment_results(program),
            "learning": _learning(program),
        },
    )


def _learning(program):
    return program_learning(program)


@require(policies.can_manage_evaluations)
def assessment_detail(request, pk):
    actor = request.user
    assessment = selectors.get_assessment_for(actor, pk)
    can_manage = policies.can_configure(actor, assessment.program)
    questions = assessment_questions(assessment)
    chosen = {q.pk for q in questions}
    bank = []
    if can_manage and assessment.status == assessment.Status.DRAFT:
        bank = list(
            selectors.bank_list(actor, q=request.GET.get("q", "")).exclude(pk__in=chosen)[:100]
        )
    edit = AssessmentForm(
        request.POST or None,
        program=assessment.program,
        initial={
            "kind": assessment.kind,
            "title": assessment.title,
            "pass_mark": assessment.pass_mark,
            "unit": assessment.unit_id,
        },
    )
    if can_manage and handle_form(
        request,
        edit,
        lambda: services.assessment_save(
            actor=actor, program=assessment.program, data=edit.to_data(), assessment=assessment
        ),
        _("已保存。"),
    ):
        return redirect("evaluations:assessment", pk=assessment.pk)
    return render(
        request,
        "evaluations/assessment.html",
        {
            "assessment": assessment,
            "questions": questions,
            "bank": bank,
            "can_manage": can_manage,
            "form": edit,
            "q": request.GET.get("q", ""),
        },
    )


assessment_status = action_view(
    policies.can_manage_evaluations,
    get=selectors.get_managed_assessment_for,
    call=lambda request, assessment: services.assessment_set_status(
        actor=request.user, assessment=assessment, status=request.POST.get("status", "")
    ),
    success=gettext_lazy("状态已更新。"),
    to=lambda assessment: reverse("evaluations:assessment", args=[assessment.pk]),
)


@require_POST
@require(policies.can_manage_evaluations)
def assessment_add(request, pk):
    assessment = selectors.get_managed_assessment_for(request.user, pk)
    added = []

    def add():
        added.append(
            services.assessment_add_questions(
                actor=request.user, assessment=assessment, question_ids=request.POST.getlist("q")
            )
        )
        return assessment  # a repeat of the post is led back to the test

    try:
        submit_once(request, add)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            n = added[0]
            messages.success(
                request, ngettext("已加入 %(n)s 道题。", "已加入 %(n)s 道题。", n) % {"n": n}
            )
        else:  # a double click: the first post added them
            messages.info(request, _("所选试题已加入，未重复添加。"))
    return redirect("evaluations:assessment", pk=assessment.pk)


@require_POST
@require(policies.can_manage_evaluations)
def assessment_remove(request, pk, question):
    assessment = selectors.get_managed_assessment_for(request.user, pk)
    return post_action(
        request,
        lambda: services.assessment_remove_question(
            actor=request.user, assessment=assessment, question_id=question
        ),
        to="evaluations:assessment",
        pk=assessment.pk,
    )


@require(policies.can_manage_evaluations)
def bank(request):
    actor = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in BankQuestion.Kind.values else ""
    page = paginate(request, selectors.bank_list(actor, q=request.GET.get("q", ""), kind=kind))
    form = BankQuestionForm(request.POST or None, actor=actor)
    if handle_form(
        request,
        form,
        lambda: services.bank_question_save(actor=actor, owner=actor.org, data=form.to_data()),
        _("已加入题库。"),
    ):
        return redirect("evaluations:bank")
    return render(
        request,
        "evaluations/bank.html",
        {"page": page, "form": form, "kinds": BankQuestion.Kind.choices, "kind": kind},
    )


@require(policies.can_manage_evaluations)
def bank_edit(request, pk):
    actor = request.user
    question = selectors.get_bank_question_for(actor, pk)
    form = BankQuestionForm(
        request.POST or None, actor=actor, initial=BankQuestionForm.initial_for(question)
    )
    if handle_form(
        request,
        form,
        lambda: services.bank_question_save(
            actor=actor, owner=question.owner, data=form.to_data(), question=question
        ),
        _("已保存。"),
    ):
        return redirect("evaluations:bank")
    return render(
        request,
        "evaluations/form.html",
        {
            "form": form,
            "title": _("修改试题"),
            "cancel": reverse("evaluations:bank"),
            "delete_action": reverse("evaluations:bank_delete", args=[question.pk]),
        },
    )


bank_delete = action_view(
    policies.can_manage_evaluations,
    get=selectors.get_bank_question_for,
    call=lambda request, question: services.bank_question_delete(
        actor=request.user, question=question
    ),
    success=gettext_lazy("已停用该试题。"),
    to=lambda question: reverse("evaluations:bank"),
)
