"""Cross-tabs of choice and rating questions by group, with a chart and an Excel export."""

from django.shortcuts import render

from ganxun.core.exports import audited_download
from ganxun.core.http import require
from ganxun.needs import exports, policies, selectors
from ganxun.needs.analysis import DIMENSIONS, chart_data, crosstab, dimension
from ganxun.needs.forms import CrosstabForm


def _tabulable(survey):
    return [q for q in selectors.survey_questions(survey) if q.is_tabulable]


@require(policies.can_manage_needs)
def crosstab_page(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    questions = _tabulable(survey)
    context = {"survey": survey, "questions": questions}
    if questions:
        data = (
            request.GET
            if "question" in request.GET
            else {"question": questions[0].pk, "dim": "rank"}
        )
        form = CrosstabForm(data, questions=questions)
        if form.is_valid():
            question = next(q for q in questions if q.pk == form.cleaned_data["question"])
            dim = dimension(form.cleaned_data["dim"])
            table = crosstab(survey, question, dim)
            context.update(question=question, dim=dim, table=table, chart=chart_data(table))
        context["form"] = form
    return render(request, "needs/crosstab.html", context)


@require(policies.can_manage_needs)
def crosstab_export(request, pk):
    """Every choice and rating question by every grouping, one workbook."""
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    sections = [
        (q.text, [(dim.label, crosstab(survey, q, dim)) for dim in DIMENSIONS])
        for q in _tabulable(survey)
    ]
    return audited_download(
        actor=request.user,
        content=exports.crosstabs_xlsx(survey.title, sections, actor=request.user),
        filename=f"crosstabs-{survey.pk}.xlsx",
        obj=survey,
        changes={"crosstabs": [None, len(sections)]},
    )
