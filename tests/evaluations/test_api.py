"""The API gives the same cut as the pages: hidden figures for a lecturer below five answers,
stable error codes for refused submissions."""

import pytest

from ganxun.accounts.models import ApiToken, hash_token
from ganxun.evaluations.models import SessionEvaluation
from tests.evaluations.factories import form_post

pytestmark = pytest.mark.django_db


def _auth(user):
    """A bearer token for any account (only administrators create them through the service)."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="测试", prefix=raw[:8], key_hash=hash_token(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_trainee_submits_by_api_and_bad_scores_get_a_code(client, scene):
    trainee = scene.trainees[0]
    url = f"/api/evaluations/sessions/{scene.session.pk}/form"
    answers = form_post(scene.program)
    bad = {**answers, next(iter(answers)): "8"}
    refused = client.post(url, {"answers": bad}, content_type="application/json", **_auth(trainee))
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert SessionEvaluation._base_manager.count() == 0
    ok = client.post(url, {"answers": answers}, content_type="application/json", **_auth(trainee))
    assert ok.status_code == 200 and ok.json()["mean_score"] == pytest.approx(4.6)


def test_the_absent_trainee_gets_not_attended(client, scene):
    url = f"/api/evaluations/sessions/{scene.session.pk}/form"
    body = {"answers": form_post(scene.program)}
    response = client.post(url, body, content_type="application/json", **_auth(scene.absent))
    assert response.status_code == 400 and response.json()["code"] == "not_attended"


def test_the_lecturer_gets_no_figures_below_five(client, scene):
    from ganxun.evaluations.services import evaluation_submit

    for trainee in scene.trainees[:2]:
        evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    url = f"/api/evaluations/sessions/{scene.session.pk}"
    data = client.get(url, **_auth(scene.lecturer_user)).json()
    assert data["hidden"] is True and data["missing"] == 3 and data["mean"] is None
    full = client.get(url, **_auth(scene.organizer)).json()
    assert full["responses"] == 2 and full["mean"] == pytest.approx(4.6)
    summary = client.get(
        f"/api/evaluations/programs/{scene.program.pk}", **_auth(scene.organizer)
    ).json()
    assert summary["responses"] == 2 and summary["gain"] is None


def test_opening_the_form_page_reads_without_writing_in_the_selector(scene):
    # given a program whose evaluation settings are made (the page does it, explicitly)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ganxun.evaluations import selectors, services

    setup = services.setup_ensure(scene.program)
    # when the form's state is read
    with CaptureQueriesContext(connection) as ctx:
        state = selectors.form_state(scene.trainees[0], scene.session, setup)
    # then the read wrote nothing, and the trainee may answer
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [] and state.can_answer
