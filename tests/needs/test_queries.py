"""Needs pages run a bounded number of queries whatever the number of respondents and answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ganxun.core.scoping import unscoped
from ganxun.needs import curation, services
from ganxun.needs.models import Respondent
from tests.needs.conftest import full_answer, invite_all, person

TEXTS = ["数字化改革怎么落地", "应急处置能力不足", "写材料抓不住重点", "村里的垃圾怎么处理"]


def grow(admin, city, survey, questions, n):
    for i in range(n):
        person(
            [city.town_a1, city.town_b1, city.village_a1][i % 3],
            rank=["general", "section_main"][i % 2],
        )
    invite_all(admin, survey)
    with unscoped():
        fresh = list(Respondent.objects.filter(survey=survey, response__isnull=True))
    for i, respondent in enumerate(fresh):
        services.respondent_answer(
            respondent=respondent,
            data=full_answer(questions, text=TEXTS[i % 4]),
            submit=True,
            submission_key="k",
        )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def pages(admin, survey, questions, django_capture_on_commit_callbacks):
    def urls():
        with django_capture_on_commit_callbacks(execute=True):
            run, _job = curation.cluster_run_start(
                actor=admin, survey=survey, question=questions["long_text"]
            )
        run.refresh_from_db()
        curation.run_confirm(actor=admin, run=run, shares={})
        return [
            "/",
            "/needs/",
            f"/needs/{survey.pk}/",
            f"/needs/{survey.pk}/respondents/",
            f"/needs/{survey.pk}/analysis/",
            f"/needs/runs/{run.pk}/",
            f"/needs/{survey.pk}/common-needs/",
        ]

    return urls


def test_queries_do_not_grow_with_respondents(client, admin, city, survey, questions, pages):
    closes = timezone.now() + timedelta(days=1)
    services.needs_survey_open(actor=admin, survey=survey, closes_at=closes)
    client.force_login(admin)
    grow(admin, city, survey, questions, 4)
    few = [(url, queries(client, url)) for url in pages()]
    grow(admin, city, survey, questions, 24)
    many = [(url, queries(client, url)) for url in pages()]
    for (url, before), (_url, after) in zip(few, many, strict=True):
        assert after <= before, f"{url}: {before} queries with 4 respondents, {after} with 28"
        assert after <= 30, url
