"""The evaluation opens when the class ends (or the program's N minutes before the end), not at
check-in: the form, the trainee's pending list and the inbox invitation all follow the end."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events
from ganxun.core.models import Notice
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.selectors import my_pending_forms
from ganxun.evaluations.services import evaluation_submit, setup_update
from tests.evaluations.factories import form_post, make_attendance
from tests.programs.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning_class(scene):
    """A 10:45–16:30 class (5 h 45 min) that began ten minutes ago; the first trainee checked
    in at the door."""
    starts = timezone.now() - timedelta(minutes=10)
    session = make_session(
        scene.program, starts, starts + timedelta(hours=5, minutes=45), title="案例研讨"
    )
    trainee = scene.trainees[0]
    attendance = make_attendance(session, trainee.cadre, when=starts - timedelta(minutes=10))
    events.publish(AttendanceRecorded(attendance=attendance, created=True))
    return session, trainee


def at_moment(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def pending(trainee, session):
    return [s.pk for s in my_pending_forms(trainee) if s.pk == session.pk]


def invitations(trainee):
    return list(Notice.objects.filter(user=trainee, kind="evaluation"))


def test_after_check_in_the_form_is_not_open_and_nothing_invites_yet(client, scene, morning_class):
    session, trainee = morning_class
    # when the trainee opens the form in class, right after checking in
    client.force_login(trainee)
    page = client.get(reverse("evaluations:session_form", args=[session.pk]))
    # then it says when it opens, and takes no answers
    assert "开放" in page.content.decode() and 'name="key"' not in page.content.decode()
    with pytest.raises(EvaluationError) as refused:
        evaluation_submit(actor=trainee, session=session, data=form_post(scene.program))
    assert refused.value.code == "not_open"
    # and neither the pending list nor the inbox shows it yet
    assert pending(trainee, session) == [] and invitations(trainee) == []


def test_at_the_end_of_class_it_opens_and_shows_in_the_inbox(scene, morning_class):
    session, trainee = morning_class
    with at_moment(session.ends_at + timedelta(minutes=1)):
        # then at 16:31 the trainee is invited, sees it pending and can answer
        assert len(invitations(trainee)) == 1
        assert pending(trainee, session) == [session.pk]
        evaluation_submit(actor=trainee, session=session, data=form_post(scene.program))
    # and it still closes 72 hours after the end
    with at_moment(session.ends_at + timedelta(hours=72, minutes=1)):
        with pytest.raises(EvaluationError) as refused:
            evaluation_submit(actor=trainee, session=session, data=form_post(scene.program))
        assert refused.value.code == "closed"


def test_a_program_may_open_it_some_minutes_before_the_end(scene):
    # given the program opens forms 15 minutes before the end of class
    setup_update(
        actor=scene.organizer, program=scene.program, close_hours=72, open_minutes_before_end=15
    )
    starts = timezone.now() - timedelta(minutes=10)
    session = make_session(scene.program, starts, starts + timedelta(hours=3))
    trainee = scene.trainees[1]
    attendance = make_attendance(session, trainee.cadre)
    events.publish(AttendanceRecorded(attendance=attendance, created=True))
    # then 20 minutes before the end it is still closed, 10 minutes before it is open
    with at_moment(session.ends_at - timedelta(minutes=20)):
        assert pending(trainee, session) == [] and invitations(trainee) == []
    with at_moment(session.ends_at - timedelta(minutes=10)):
        assert len(invitations(trainee)) == 1
        evaluation_submit(actor=trainee, session=session, data=form_post(scene.program))


def test_the_opening_minutes_must_be_sensible(scene):
    with pytest.raises(EvaluationError) as refused:
        setup_update(
            actor=scene.organizer, program=scene.program, close_hours=72, open_minutes_before_end=-5
        )
    assert refused.value.code == "bad_minutes"
