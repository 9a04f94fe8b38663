"""A needs survey from the template, and cadres whose groups the tests count by hand."""

from datetime import date

import pytest
from django.http import QueryDict

from ganxun.core.scoping import unscoped
from ganxun.needs import links, services
from ganxun.needs.models import Respondent
from ganxun.needs.targeting import Targeting
from ganxun.orgs.idcard import make_id_number
from ganxun.surveys.models import Option, Question
from tests.factories import CadreFactory, CategoryFactory

_ids = iter(range(1, 10_000))


def person(
    unit, *, rank="section_main", born=date(1985, 6, 1), leader_role="", categories=(), name=None
):
    """A cadre with a given birth date (the factory's ID numbers fix the birth date otherwise)."""
    n = next(_ids)
    cadre = CadreFactory(
        unit=unit,
        rank=rank,
        leader_role=leader_role,
        name=name or f"人员{n}",
        id_number=make_id_number(f"{330100 + n // 400:06d}", born, (n % 400) * 2 + 1),
    )
    cadre.categories.set(categories)
    return cadre


@pytest.fixture
def young(db):
    return CategoryFactory(code="young", name="年轻干部")


@pytest.fixture
def survey(admin, city):
    return services.needs_survey_create(actor=admin, org=city.city, template="needs_default")


@pytest.fixture
def questions(survey):
    """The template's questions by kind (first of each), with their options."""
    with unscoped():
        qs = list(
            Question.objects.filter(questionnaire=survey.questionnaire).prefetch_related("options")
        )
    by_kind = {}
    for q in qs:
        by_kind.setdefault(q.kind, q)
    by_kind["time"] = next(q for q in qs if "培训时间" in q.text)
    return by_kind


def options(question) -> list[Option]:
    with unscoped():
        return list(Option.objects.filter(question=question))


def invite_all(admin, survey) -> list[Respondent]:
    """Invite everybody; the respondents come back in the order their cadres were created."""
    services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    with unscoped():
        return list(Respondent.objects.filter(survey=survey).order_by("cadre_id"))


def token_of(respondent) -> str:
    return links.token_for(respondent.token_nonce)


def full_answer(
    questions, *, single=0, multiple=(0,), rating=4, text="希望多讲讲数字化改革怎么落地"
) -> QueryDict:
    """A complete, valid answer to the template."""
    data = QueryDict(mutable=True)
    for kind, q in questions.items():
        opts = options(q)
        if kind in ("single", "time"):
            data[f"q{q.pk}"] = str(opts[single].pk)
        elif kind == "multiple":
            data.setlist(f"q{q.pk}", [str(opts[i].pk) for i in multiple])
        elif kind == "rating":
            data[f"q{q.pk}"] = str(rating)
        elif kind == "ranking":
            for place, option in enumerate(opts[: q.max_choices], start=1):
                data[f"q{q.pk}_o{option.pk}"] = str(place)
        elif kind == "long_text":
            data[f"q{q.pk}"] = text
    # the template's other single-choice questions
    with unscoped():
        for q in Question.objects.filter(
            questionnaire=questions["single"].questionnaire, kind="single"
        ):
            data.setdefault(f"q{q.pk}", str(options(q)[0].pk))
    return data
