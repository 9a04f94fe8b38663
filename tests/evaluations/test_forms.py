"""The satisfaction form: who may answer (checked in), when (from class start until it
closes), and once (a second submission edits the same response)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events
from ganxun.core.models import Notice
from ganxun.core.scoping import unscoped
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import SessionEvaluation
from ganxun.evaluations.services import (
    evaluation_submit,
    form_activate,
    form_customize,
    setup_ensure,
    setup_update,
)
from ganxun.surveys import services as survey_services
from ganxun.surveys.models import Answer, Response
from tests.evaluations.factories import form_post, make_attendance
from tests.programs.factories import make_session

pytestmark = pytest.mark.django_db


def _count():
    return SessionEvaluation._base_manager.count()


def test_a_trainee_who_checked_in_submits_once_and_sees_the_thanks_page(client, scene):
    # given a trainee who checked in to a class that ended an hour ago
    trainee = scene.trainees[0]
    client.force_login(trainee)
    url = reverse("evaluations:session_form", args=[scene.session.pk])
    # when they open the form and submit it
    page = client.get(url)
    assert page.status_code == 200 and "提交评价" in page.content.decode()
    data = form_post(scene.program, (5, 4, 4, 5, 5), text="希望多讲案例")
    response = client.post(url, data)
    # then they land on the thanks page and one form with their mean is stored
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:session_thanks", args=[scene.session.pk])
    assert "感谢您的评价" in client.get(response["Location"]).content.decode()
    row = SessionEvaluation._base_manager.get()
    assert row.cadre_id == trainee.cadre_id and row.mean_score == pytest.approx(4.6)


def test_a_second_submission_while_open_edits_the_same_response(scene):
    # given a trainee who already submitted
    trainee = scene.trainees[0]
    evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    # when they submit again with other scores
    evaluation_submit(
        actor=trainee, session=scene.session, data=form_post(scene.program, (1, 1, 1, 1, 1))
    )
    # then there is still one form and one response, now holding the new scores
    row = SessionEvaluation._base_manager.get()
    assert row.edits == 1 and row.mean_score == 1
    with unscoped():
        assert Response.objects.count() == 1
        assert set(Answer.objects.values_list("number", flat=True)) == {1}


def test_the_form_page_shows_the_earlier_answers_when_editing(client, scene):
    trainee = scene.trainees[0]
    evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    client.force_login(trainee)
    page = client.get(reverse("evaluations:session_form", args=[scene.session.pk]))
    assert (
        "保存修改" in page.content.decode()
        and 'value="5" autocomplete="off" checked' in page.content.decode()
    )


def test_a_trainee_who_did_not_check_in_is_refused_and_nothing_is_saved(client, scene):
    # given a trainee of the program without an attendance row
    client.force_login(scene.absent)
    url = reverse("evaluations:session_form", args=[scene.session.pk])
    # when they open the form and post answers anyway
    page = client.get(url)
    posted = client.post(url, form_post(scene.program))
    # then both say why, and nothing is stored
    assert page.status_code == 403 and "签到" in page.content.decode()
    assert posted.status_code == 400 and "签到" in posted.content.decode()
    assert _count() == 0
    with pytest.raises(EvaluationError) as exc:
        evaluation_submit(actor=scene.absent, session=scene.session, data=form_post(scene.program))
    assert exc.value.code == "not_attended"


def test_after_the_form_closes_submissions_and_edits_are_refused(scene):
    # given a session that ended 73 hours ago (the default closes after 72)
    trainee = scene.trainees[0]
    old = make_session(
        scene.program,
        timezone.now() - timedelta(hours=76),
        timezone.now() - timedelta(hours=73),
    )
    make_attendance(old, trainee.cadre)
    # when the trainee submits
    with pytest.raises(EvaluationError) as exc:
        evaluation_submit(actor=trainee, session=old, data=form_post(scene.program))
    # then it is refused as closed and nothing is stored
    assert exc.value.code == "closed" and "截止" in exc.value.message
    assert _count() == 0


def test_a_longer_window_set_by_the_organizer_keeps_the_form_open(scene):
    trainee = scene.trainees[0]
    old = make_session(
        scene.program,
        timezone.now() - timedelta(hours=80),
        timezone.now() - timedelta(hours=77),
    )
    make_attendance(old, trainee.cadre)
    setup_update(actor=scene.organizer, program=scene.program, close_hours=96)
    evaluation_submit(actor=trainee, session=old, data=form_post(scene.program))
    assert _count() == 1


def test_the_form_does_not_open_before_class(scene):
    trainee = scene.trainees[0]
    later = make_session(scene.program, timezone.now() + timedelta(hours=2))
    make_attendance(later, trainee.cadre)
    with pytest.raises(EvaluationError) as exc:
        evaluation_submit(actor=trainee, session=later, data=form_post(scene.program))
    assert exc.value.code == "not_open"


@pytest.mark.parametrize("bad", ["7", "0", "abc", "-1"])
def test_out_of_range_scores_are_refused_with_a_message_and_nothing_saved(client, scene, bad):
    # given a checked-in trainee
    trainee = scene.trainees[0]
    client.force_login(trainee)
    data = form_post(scene.program)
    first = next(iter(data))
    data[first] = bad
    # when they post a score outside 1–5
    response = client.post(reverse("evaluations:session_form", args=[scene.session.pk]), data)
    # then the page says what is wrong, on the question, and nothing is stored
    body = response.content.decode()
    assert response.status_code == 400
    assert "1 到 5 分" in body or "选择无效" in body
    assert _count() == 0
    with unscoped():
        assert Response.objects.count() == 0


def test_missing_required_scores_are_refused(scene):
    with pytest.raises(EvaluationError) as exc:
        evaluation_submit(
            actor=scene.trainees[0], session=scene.session, data=form_post(scene.program, (5, 5))
        )
    assert exc.value.code == "invalid" and len(exc.value.details["errors"]) == 3
    assert _count() == 0


def test_an_edit_with_bad_values_keeps_the_earlier_answers(scene):
    trainee = scene.trainees[0]
    evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    bad = form_post(scene.program)
    bad[next(iter(bad))] = "9"
    with pytest.raises(EvaluationError):
        evaluation_submit(actor=trainee, session=scene.session, data=bad)
    row = SessionEvaluation._base_manager.get()
    assert row.edits == 0 and row.mean_score == pytest.approx(4.6)


def test_another_countys_session_is_not_found(client, scene, city):
    from tests.evaluations.factories import foreign_evaluations
    from tests.factories import make_user

    foreign = foreign_evaluations(city, make_user(city.county_b, "admin"))
    client.force_login(scene.trainees[0])
    url = f"/evaluations/sessions/{foreign['evaluations/sessions/']}/"
    assert client.get(url).status_code == 404


def test_checking_in_puts_one_invitation_in_the_inbox_and_updates_send_none(scene):
    # given a trainee's new attendance
    trainee = scene.absent
    attendance = make_attendance(scene.session, trainee.cadre)
    # when check-in announces it (created), then again on check-out (not created)
    events.publish(AttendanceRecorded(attendance=attendance, created=True))
    events.publish(AttendanceRecorded(attendance=attendance, created=False))
    # then one notice with the form link is waiting
    notices = list(Notice.objects.filter(user=trainee))
    assert len(notices) == 1
    assert notices[0].url == reverse("evaluations:session_form", args=[scene.session.pk])


def test_close_hours_must_be_a_sensible_number(scene):
    with pytest.raises(EvaluationError) as exc:
        setup_update(actor=scene.organizer, program=scene.program, close_hours=0)
    assert exc.value.code == "bad_hours"
    assert setup_ensure(scene.program).close_hours == 72


def test_a_program_uses_its_own_form_once_activated(scene):
    # given the organizer customises the form: a draft copy of the default
    draft = form_customize(actor=scene.organizer, program=scene.program)
    with unscoped():
        first = draft.questions.order_by("position").first()
        section = draft.sections.first()
    survey_services.question_delete(actor=scene.organizer, question=first)
    survey_services.question_create(
        actor=scene.organizer,
        section=section,
        data=survey_services.QuestionData(kind="rating", text="案例贴合度"),
    )
    # when it is activated
    form_activate(actor=scene.organizer, program=scene.program)
    # then new forms are answered on it
    setup = setup_ensure(scene.program)
    assert setup.questionnaire_id == draft.pk and setup.draft_id is None
    data = form_post(scene.program, (4, 4, 4, 4, 3))
    evaluation = evaluation_submit(actor=scene.trainees[0], session=scene.session, data=data)
    assert evaluation.response.questionnaire_id == draft.pk


def test_a_form_without_rating_questions_cannot_be_activated(scene):
    draft = form_customize(actor=scene.organizer, program=scene.program)
    with unscoped():
        questions = list(draft.questions.filter(kind="rating"))
    for q in questions:
        survey_services.question_delete(actor=scene.organizer, question=q)
    with pytest.raises(EvaluationError) as exc:
        form_activate(actor=scene.organizer, program=scene.program)
    assert exc.value.code == "no_rating"
