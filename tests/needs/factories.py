"""Needs-survey objects of another county, for the URL walks of the scoping tests."""

from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.models import ClusterRun, CommonNeed, NeedCluster, NeedTopic, Respondent
from ganxun.needs.targeting import Targeting
from ganxun.surveys.models import Question, Section


def foreign_needs(city, other_admin) -> dict:
    """A 西山区 survey with a respondent, a clustering run, a cluster and a common need.

    Keys are URL prefixes, most specific first (the walk takes the first that matches).
    """
    survey = services.needs_survey_create(
        actor=other_admin, org=city.county_b, template="needs_default"
    )
    services.respondents_add(actor=other_admin, survey=survey, criteria=Targeting())
    with unscoped():
        respondent = Respondent.objects.filter(survey=survey).first()
        section = Section.objects.filter(questionnaire=survey.questionnaire).first()
        question = Question.objects.filter(
            questionnaire=survey.questionnaire, kind="long_text"
        ).first()
    run = ClusterRun.objects.create(
        survey=survey, question=question, created_by=other_admin, status="ready"
    )
    cluster = NeedCluster.objects.create(run=run, label="西山的需求")
    need = CommonNeed.objects.create(
        survey=survey,
        run=run,
        position=1,
        label="西山的需求",
        respondent_count=1,
        statement_count=1,
        share=1.0,
        confirmed_by=other_admin,
    )
    # The seeded topics are gone after a transactional test has flushed the tables.
    topic, _created = NeedTopic.objects.get_or_create(code="walk", defaults={"name": "巡检主题"})
    assert respondent is not None and cluster.pk
    return {
        "needs/runs/": run.pk,
        "needs/common-needs/": need.pk,
        "needs/topics/": topic.pk,
        "needs/mine/": respondent.pk,
        "needs/": survey.pk,
        "surveys/sections/": section.pk,
        "surveys/questions/": question.pk,
        "surveys/": survey.questionnaire_id,
        # Personal links take a token, not an id: the walk requests the pattern's placeholder as
        # a guessed token (404). Real tokens are tested in tests/needs/test_links.py.
        "s/": 0,
    }
