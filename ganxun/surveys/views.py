"""The questionnaire builder: sections and questions. Thin: parse, call one service, render."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.http import action_view, form_page_of, form_view, require
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


section_create = action_view(
    can_build_questionnaires,
    get=selectors.get_questionnaire_for,
    form=SectionForm,
    invalid=gettext_lazy("请填写分节标题。"),
    call=lambda request, questionnaire, data: services.section_create(
        actor=request.user, questionnaire=questionnaire, **data
    ),
    to=_builder_url,
)


def _back_to_builder(part, _result=None) -> str:
    return _builder_url(part.questionnaire)


form_in = partial(form_page_of, "surveys/form.html", cancel=_back_to_builder)

section_edit = form_view(
    can_build_questionnaires,
    get=selectors.get_section_for,
    form=lambda request, section: SectionForm(
        request.POST or None, initial={"title": section.title, "description": section.description}
    ),
    save=lambda request, form, section: services.section_update(
        actor=request.user, section=section, **form.cleaned_data
    ),
    to=_back_to_builder,
    page=form_in(title=gettext_lazy("修改分节")),
)


section_delete = action_view(
    can_build_questionnaires,
    get=selectors.get_section_for,
    call=lambda request, section: services.section_delete(actor=request.user, section=section),
    to=_back_to_builder,
)


question_create = form_view(
    can_build_questionnaires,
    get=selectors.get_section_for,
    form=lambda request, _section: QuestionForm(
        request.POST or None, initial={"kind": Question.Kind.SINGLE}
    ),
    save=lambda request, form, section: services.question_create(
        actor=request.user, section=section, data=form.to_data()
    ),
    success=gettext_lazy("已添加题目。"),
    to=_back_to_builder,
    page=form_in(title=lambda section: _("在“%(section)s”中添加题目") % {"section": section.title}),
)


def _question_form(request, question):
    options = list(children_of(question, Option, "question"))
    return QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question, options))


question_edit = form_view(
    can_build_questionnaires,
    get=selectors.get_question_for,
    form=_question_form,
    save=lambda request, form, question: services.question_update(
        actor=request.user, question=question, data=form.to_data()
    ),
    success=gettext_lazy("已保存。"),
    to=_back_to_builder,
    page=form_in(title=gettext_lazy("修改题目")),
)


question_delete = action_view(
    can_build_questionnaires,
    get=selectors.get_question_for,
    call=lambda request, question: services.question_delete(actor=request.user, question=question),
    to=_back_to_builder,
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
