"""Cross-tabs of choice and rating questions by respondent group, from submitted answers only.

Groups are the respondents' attributes frozen at invitation (``Respondent``), so a table shows
the groups as they were when people were asked. A respondent in two categories counts in both
category rows; the total row counts every respondent once.
"""

from dataclasses import dataclass

from django.db.models import Count, F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.scoping import unscoped
from ganxun.needs.models import AgeBand, NeedsSurvey, UnitLevel
from ganxun.needs.stats import Table, build_table
from ganxun.orgs.models import Cadre, CadreCategory
from ganxun.surveys.models import RATING_SCALE, Answer, AnswerChoice, Option, Question, Response

PREFIX = "response__respondent__"
NO_CATEGORY = "无类别"


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    field: str


DIMENSIONS = [
    Dimension("rank", gettext_lazy("职级"), "rank"),
    Dimension("age_band", gettext_lazy("年龄段"), "age_band"),
    Dimension("category", gettext_lazy("标签"), "categories"),
    Dimension("leader_role", gettext_lazy("班子角色"), "leader_role"),
    Dimension("unit_level", gettext_lazy("单位层级"), "unit_level"),
]
BY_CODE = {d.code: d for d in DIMENSIONS}


def dimension(code: str) -> Dimension:
    return BY_CODE.get(code, DIMENSIONS[0])


def dimension_groups(dim: Dimension) -> list[tuple[object, str]]:
    if dim.code == "rank":
        return [(v, str(label)) for v, label in Cadre.Rank.choices]
    if dim.code == "age_band":
        return [(v, str(label)) for v, label in AgeBand.choices]
    if dim.code == "leader_role":
        return [(v, str(label)) for v, label in Cadre.LeaderRole.choices]
    if dim.code == "unit_level":
        return [(v, str(label)) for v, label in UnitLevel.choices]
    categories = list(CadreCategory.objects.values_list("pk", "name"))
    return [*categories, (None, NO_CATEGORY)]


def crosstab(survey: NeedsSurvey, question: Question, dim: Dimension) -> Table:
    """The table for one question and one grouping. The caller has authorised the survey."""
    group = F(PREFIX + dim.field)
    # scope: the survey was fetched through the actor's scope; its answers are read as a whole
    with unscoped():
        answers = Answer.objects.filter(
            question=question,
            response__status=Response.Status.SUBMITTED,
            response__respondent__survey=survey,
        )
        group_n = _count_by(answers.values(g=group), ("g",))
        total_n = answers.aggregate(n=Count("response", distinct=True))["n"]
        if question.kind == Question.Kind.RATING:
            columns = [(score, _("%(score)s分") % {"score": score}) for score in RATING_SCALE]
            counts = _count_by(answers.values(g=group, c=F("number")), ("g", "c"))
            totals = _count_by(answers.values(c=F("number")), ("c",))
        else:
            columns = list(Option.objects.filter(question=question).values_list("pk", "text"))
            choices = AnswerChoice.objects.filter(
                question=question,
                response__status=Response.Status.SUBMITTED,
                response__respondent__survey=survey,
            )
            counts = _count_by(choices.values(g=group, c=F("option_id")), ("g", "c"))
            totals = _count_by(choices.values(c=F("option_id")), ("c",))
        groups = dimension_groups(dim)
    return build_table(
        columns=columns,
        groups=groups,
        group_n=group_n,
        counts=counts,
        total_n=total_n,
        total_counts=totals,
        rating=question.kind == Question.Kind.RATING,
    )


def _count_by(values_qs, keys: tuple[str, ...]) -> dict:
    """{key or (key, key): respondents}, one aggregate query."""
    rows = values_qs.annotate(n=Count("response", distinct=True)).order_by()
    if len(keys) == 1:
        return {row[keys[0]]: row["n"] for row in rows}
    return {tuple(row[k] for k in keys): row["n"] for row in rows}


def chart_data(table: Table) -> dict:
    """What the ECharts bar chart needs: groups on the axis, one series per column (in %)."""
    return {
        "groups": [row.label for row in table.rows] + [table.total.label],
        "series": [
            {
                "name": column,
                "data": [row.cells[i].percent for row in table.rows]
                + [table.total.cells[i].percent],
            }
            for i, column in enumerate(table.columns)
        ],
    }
