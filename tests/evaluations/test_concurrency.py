"""A double tap on 提交 on PostgreSQL: two posts of the same trainee at the same moment store
one form — the second waits for the first (row lock on the attendance) and edits it."""

import threading

import pytest
from django.db import connection, connections

from ganxun.core.scoping import unscoped
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import SessionEvaluation
from ganxun.evaluations.services import evaluation_submit
from ganxun.surveys.models import Response
from tests.evaluations.factories import form_post

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _together(calls) -> list[str]:
    start, outcomes, lock = threading.Barrier(len(calls)), [], threading.Lock()

    def go(call):
        start.wait()
        try:
            call()
            code = "ok"
        except EvaluationError as exc:
            code = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_simultaneous_submissions_of_one_trainee_store_one_form(scene):
    # given a checked-in trainee and the program's form in place
    trainee = scene.trainees[0]
    data = form_post(scene.program, (5,) * 5)
    # when the same form is posted twice at the same moment
    outcomes = _together(
        [lambda: evaluation_submit(actor=trainee, session=scene.session, data=data)] * 2
    )
    # then both succeed, one as the first submission and one as an edit of it
    assert outcomes == ["ok", "ok"]
    row = SessionEvaluation._base_manager.get()
    assert row.edits == 1
    with unscoped():
        assert Response.objects.count() == 1
