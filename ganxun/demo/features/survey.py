"""One needs survey from the ready template, sent to every cadre of the trainee's township;
about half of them have answered already, the demo ``trainee`` not yet (so 我的问卷 shows it)."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from ganxun.needs.models import Respondent
from ganxun.needs.services import (
    needs_survey_create,
    needs_survey_open,
    respondent_answer,
    respondents_add,
)
from ganxun.needs.targeting import Targeting
from ganxun.surveys.answering import Answers
from ganxun.surveys.models import Question

TEMPLATE = "needs_default"
MAX_ANSWERED = 40
WISHES = [
    "希望多学习数字化改革的具体做法，最好有本地案例。",
    "基层矛盾纠纷多，想学习调解技巧和相关法律知识。",
    "需要提升应急处置能力，特别是防汛防台的组织指挥。",
    "希望增加招商引资和项目推进方面的实务培训。",
    "想系统学习公文写作，提高材料起草水平。",
    "希望到先进地区现场教学，看看别人的乡村振兴怎么做。",
    "网格员和村干部的群众工作方法，希望有案例教学。",
    "希望培训安排在周末，减少对工作的影响。",
]
SUGGESTIONS = ["", "", "课程时间不要太长", "多一些互动研讨", "希望提供课件下载"]


@dataclass(frozen=True)
class SurveySummary:
    respondents: int
    answered: int


def build_survey(users, rng) -> SurveySummary:
    admin, trainee = users["admin"], users["trainee"]
    township = trainee.cadre.unit
    survey = needs_survey_create(
        actor=admin,
        org=admin.org,
        template=TEMPLATE,
        title=f"干部教育培训需求调研（{township.name}）",
    )
    needs_survey_open(actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=30))
    added = respondents_add(actor=admin, survey=survey, criteria=Targeting(units=[township]))
    others = list(
        Respondent.objects.filter(survey=survey).exclude(cadre=trainee.cadre).order_by("pk")
    )
    questions = list(
        Question.objects.filter(questionnaire=survey.questionnaire).prefetch_related("options")
    )
    answering = rng.sample(others, min(MAX_ANSWERED, len(others) // 2))
    for respondent in sorted(answering, key=lambda r: r.pk):
        outcome = respondent_answer(
            respondent=respondent,
            data=Answers.from_post(_answers(questions, rng)),
            submit=True,
            submission_key=f"demo-{respondent.pk}",
        )
        if not outcome.submitted:  # the template changed under the demo's answers
            raise RuntimeError(f"demo answer refused: {outcome.parsed.errors}")
    return SurveySummary(respondents=added["added"], answered=len(answering))


def _answers(questions: list[Question], rng) -> QueryDict:
    """A plausible filled-in form: the POST data the answer page would send."""
    data = QueryDict(mutable=True)
    for q in questions:
        field, options = f"q{q.pk}", [o.pk for o in q.options.all()]
        top = q.max_choices or 3
        if q.kind == Question.Kind.SINGLE:
            data[field] = str(rng.choice(options))
        elif q.kind == Question.Kind.MULTIPLE:
            data.setlist(field, [str(o) for o in rng.sample(options, rng.randint(1, top))])
        elif q.kind == Question.Kind.RATING:
            data[field] = str(rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 4])[0])
        elif q.kind == Question.Kind.RANKING:
            for place, option in enumerate(rng.sample(options, top), start=1):
                data[f"{field}_o{option}"] = str(place)
        elif q.kind == Question.Kind.LONG_TEXT:
            data[field] = rng.choice(WISHES)
        else:
            data[field] = rng.choice(SUGGESTIONS)
    return data
