"""Two posts of one personal link at the same moment: exactly one submission (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.errors import LinkError
from ganxun.surveys.models import Response
from tests.needs.conftest import full_answer, invite_all, person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("keys", "second"),
    [(("phone-a", "phone-b"), "already_submitted"), (("retry", "retry"), "repeated")],
)
def test_simultaneous_submissions_store_one_response(admin, city, survey, questions, keys, second):
    # given one invited cadre and an open survey
    person(city.town_a1)
    (respondent,) = invite_all(admin, survey)
    closes = timezone.now() + timedelta(days=1)
    services.needs_survey_open(actor=admin, survey=survey, closes_at=closes)
    data = full_answer(questions)
    start, outcomes = threading.Barrier(2), []

    def post(key):
        start.wait()
        try:
            outcome = services.respondent_answer(
                respondent=respondent, data=data, submit=True, submission_key=key
            )
            outcomes.append("repeated" if outcome.repeated else "stored")
        except LinkError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    # when two submissions arrive together: from two phones, or one post and its retry
    threads = [threading.Thread(target=post, args=(key,)) for key in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one is stored; the other is refused (another phone) or answered as the first (retry)
    assert sorted(outcomes) == sorted(["stored", second])
    with unscoped():
        assert Response.objects.filter(respondent=respondent, status="submitted").count() == 1
