"""The questionnaire builder: sections and questions. Thin: parse, call one service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.http import action_view, handle_form, require, run_action
from ganxun.core.scoping import children_of
from ganxun.surveys import selectors, services
from ganxun.surveys.answering import load_items
from ganxun.surveys.forms import QuestionForm, SectionForm
from ganxun.surveys.models import Option, Question
from ganxun.surveys.policies import can_build_questionnaires, manages_questionnaire


def back_url(questionnaire) -> str:
    """The page of the app that owns this questionnaire (a needs survey, later an evaluation)."""
    survey = getattr(questionnaire, "needs_survey", None)
    return reverse("needs:detail", args=[survey.pk]) if survey else reverse("home")


def _builder_url(questionnaire) -> str:
    return reverse("surveys:builder", args=[questionnaire.pk])


@require(can_build_questionnaires)
def builder(request, pk):
    questionnaire = selectors.get_questionnaire_for(request.user, pk)
    return render(
        request,
        "surveys/builder.html",
        {
            "questionnaire": questionnaire,
            "sections": selectors.questionnaire_outline(questionnaire),
            "section_form": SectionForm(),
            "can_edit": questionnaire.is_editable
            and manages_questionnaire(request.user, questionnaire),
            "back_url": back_url(questionnaire),
        },
    )


@require(can_build_questionnaires)
def preview(request, pk):
    questionnaire = selectors.get_questionnaire_for(request.user, pk)
    return render(
        request,
        "surveys/preview.html",
        {"questionnaire": questionnaire, "items": load_items(questionnaire), "preview": True},
    )


@require_POST
@require(can_build_questionnaires)
def section_create(request, pk):
    questionnaire = selectors.get_questionnaire_for(request.user, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.section_create(
                actor=request.user, questionnaire=questionnaire, **form.cleaned_data
            ),
        )
    else:
        messages.error(request, _("请填写分节标题。"))
    return redirect(_builder_url(questionnaire))


@require(can_build_questionnaires)
def section_edit(request, pk):
    section = selectors.get_section_for(request.user, pk)
    form = SectionForm(
        request.POST or None, initial={"title": section.title, "description": section.description}
    )
    if handle_form(
        request,
        form,
        lambda: services.section_update(actor=request.user, section=section, **form.cleaned_data),
    ):
        return redirect(_builder_url(section.questionnaire))
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": _("修改分节"), "back": _builder_url(section.questionnaire)},
    )


section_delete = action_view(
    can_build_questionnaires,
    get=selectors.get_section_for,
    call=lambda request, section: services.section_delete(actor=request.user, section=section),
    to=lambda section: _builder_url(section.questionnaire),
)


@require(can_build_questionnaires)
def question_create(request, pk):
    section = selectors.get_section_for(request.user, pk)
    form = QuestionForm(request.POST or None, initial={"kind": Question.Kind.SINGLE})
    if handle_form(
        request,
        form,
        lambda: services.question_create(actor=request.user, section=section, data=form.to_data()),
        success=_("已添加题目。"),
    ):
        return redirect(_builder_url(section.questionnaire))
    return render(
        request,
        "surveys/form.html",
        {
            "form": form,
            "title": _("在“%(section)s”中添加题目") % {"section": section.title},
            "back": _builder_url(section.questionnaire),
        },
    )


@require(can_build_questionnaires)
def question_edit(request, pk):
    question = selectors.get_question_for(request.user, pk)
    options = list(children_of(question, Option, "question"))
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question, options))
    if handle_form(
        request,
        form,
        lambda: services.question_update(
            actor=request.user, question=question, data=form.to_data()
        ),
        success=_("已保存。"),
    ):
        return redirect(_builder_url(question.questionnaire))
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": _("修改题目"), "back": _builder_url(question.questionnaire)},
    )


question_delete = action_view(
    can_build_questionnaires,
    get=selectors.get_question_for,
    call=lambda request, question: services.question_delete(actor=request.user, question=question),
    to=lambda question: _builder_url(question.questionnaire),
)


question_move = action_view(
    can_build_questionnaires,
    get=selectors.get_question_for,
    call=lambda request, question: services.question_move(
        actor=request.user,
        question=question,
        step=1 if request.POST.get("direction") == "down" else -1,
    ),
    to=lambda question: _builder_url(question.questionnaire) + f"#q{question.pk}",
)
