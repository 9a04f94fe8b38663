"""Anonymity toward lecturers: aggregates of their own sessions only, and only from five
answers on; organizers see each answer without names unless the setting allows names."""

import pytest
from django.test import override_settings
from django.urls import reverse

from ganxun.evaluations.services import evaluation_submit
from tests.evaluations.factories import form_post, make_attendance
from tests.programs.factories import make_session

pytestmark = pytest.mark.django_db


def _answer(scene, n, scores=(4, 4, 4, 4, 4)):
    for trainee in scene.trainees[:n]:
        evaluation_submit(
            actor=trainee, session=scene.session, data=form_post(scene.program, scores, "多讲案例")
        )


def _results(client, user, session):
    client.force_login(user)
    return client.get(reverse("evaluations:session_results", args=[session.pk]))


def test_below_five_answers_the_lecturer_sees_how_many_more_are_needed_and_no_figures(
    client, scene
):
    # given four answers, all 4s
    _answer(scene, 4)
    # when the lecturer opens the session's results
    page = _results(client, scene.lecturer_user, scene.session)
    body = page.content.decode()
    # then a message says one more answer is needed, and no mean or table appears
    assert page.status_code == 200
    assert "还需 1 人评价" in body
    assert 'data-testid="by-question"' not in body and "4.0" not in body


def test_from_five_answers_the_lecturer_sees_aggregates_but_not_single_answers(client, scene):
    _answer(scene, 5)
    body = _results(client, scene.lecturer_user, scene.session).content.decode()
    assert 'data-testid="session-mean">4.0<' in body
    assert 'data-testid="answers"' not in body and "学员1" not in body
    assert "多讲案例" not in body  # raw free text stays with the organizers


def test_a_lecturer_cannot_see_results_of_a_session_they_do_not_teach(client, scene, city):
    from tests.catalog.factories import make_lecturer

    other = make_session(
        scene.program,
        scene.session.starts_at,
        scene.session.ends_at,
        lecturers=[make_lecturer(city.county_a, "孙老师")],
    )
    assert _results(client, scene.lecturer_user, other).status_code in (403, 404)


def test_organizers_see_each_answer_without_names(client, scene):
    _answer(scene, 2)
    body = _results(client, scene.organizer, scene.session).content.decode()
    assert 'data-testid="answers"' in body and "多讲案例" in body
    assert "学员1" not in body and "学员2" not in body


@override_settings(GANXUN_EVALUATION_SHOW_NAMES=True)
def test_names_appear_only_when_the_setting_allows_them(client, scene):
    _answer(scene, 2)
    body = _results(client, scene.organizer, scene.session).content.decode()
    assert "学员1" in body and "学员2" in body


def test_the_lecturers_own_page_hides_totals_below_five_and_shows_them_from_five(client, scene):
    url = reverse("evaluations:lecturer_results", args=[scene.lecturer.pk])
    client.force_login(scene.lecturer_user)
    _answer(scene, 3)
    assert "还需 2 人评价" in client.get(url).content.decode()
    _answer(scene, 5)
    body = client.get(url).content.decode()
    assert 'data-testid="dimension-mean">4.0<' in body


def test_a_lecturer_cannot_open_another_lecturers_page(client, scene, city):
    from tests.catalog.factories import make_lecturer

    other = make_lecturer(city.county_a, "孙老师")
    client.force_login(scene.lecturer_user)
    url = reverse("evaluations:lecturer_results", args=[other.pk])
    assert client.get(url).status_code in (403, 404)


def test_months_with_fewer_than_five_answers_are_left_out_for_everyone(scene):
    from datetime import timedelta

    from ganxun.evaluations.selectors import dimension_results
    from ganxun.programs.models import Session

    # given five answers this month and two for a session of 40 days ago (moved back after
    # the answers, since its form would have closed long ago)
    _answer(scene, 5)
    old = make_session(
        scene.program, scene.session.starts_at, scene.session.ends_at, lecturers=[scene.lecturer]
    )
    for trainee in scene.trainees[:2]:
        make_attendance(old, trainee.cadre)
        evaluation_submit(actor=trainee, session=old, data=form_post(scene.program))
    Session._base_manager.filter(pk=old.pk).update(
        starts_at=old.starts_at - timedelta(days=40), ends_at=old.ends_at - timedelta(days=40)
    )
    # when the lecturer's results are read as the lecturer and as the organizer
    mine = dimension_results(scene.lecturer_user, "lecturer", scene.lecturer)
    theirs = dimension_results(scene.organizer, "lecturer", scene.lecturer)
    # then both trends have only the month with five answers (small groups hide for every role)
    assert [m["responses"] for m in mine["trend"]] == [5]
    assert [m["responses"] for m in theirs["trend"]] == [5]
