"""催办 from the tracking pages: how many will be told is shown first, only those who have not
acted are told, at most once a day, and only by those who may."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.needs import services as needs_services
from ganxun.needs.targeting import Targeting
from ganxun.reminders.models import ChaseMark
from ganxun.surveys.models import Questionnaire
from tests.enrollment.factories import make_quota
from tests.evaluations.factories import make_attendance, past_window
from tests.factories import make_user
from tests.programs.factories import make_session
from tests.reminders.conftest import told, told_cadres

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(admin, city, cadres):
    survey = needs_services.needs_survey_create(
        actor=admin, org=city.city, template="needs_default"
    )
    needs_services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    q = survey.questionnaire
    q.status, q.closes_at = Questionnaire.Status.OPEN, timezone.now() + timedelta(days=3)
    with unscoped():
        q.save()
    return survey


def _a_day_later():
    with unscoped():
        ChaseMark.objects.update(reminded_at=timezone.now() - timedelta(hours=25))


def test_survey_chase_shows_the_count_then_tells_non_respondents_once_a_day(
    client, admin, survey, cadres
):
    client.force_login(admin)
    # the tracking page links to 催办
    page = client.get(f"/needs/{survey.pk}/respondents/").content.decode()
    assert f"/reminders/chase/surveys/{survey.pk}/" in page
    # the confirm page says how many will be told, and sends nothing
    url = f"/reminders/chase/surveys/{survey.pk}/"
    page = client.get(url).content.decode()
    assert "将提醒 4 人" in page
    assert told("survey_due") == []
    # confirming tells the four invited cadres, audited
    response = client.post(url)
    assert response.status_code == 302
    assert told_cadres("survey_due") == sorted(c.pk for c in cadres.values())
    assert AuditEntry.objects.filter(object_type="needs.needssurvey", actor=admin).exists()
    # a second 催办 the same day tells nobody again
    client.post(url)
    assert len(told("survey_due")) == 4
    assert "今天已催办" in client.get(url).content.decode()
    # the next day it may
    _a_day_later()
    client.post(url)
    assert len(told("survey_due")) == 8


def test_a_unit_contact_chases_only_their_own_unit(client, survey, cadres, town_contact):
    client.force_login(town_contact)
    page = client.get(f"/reminders/chase/surveys/{survey.pk}/").content.decode()
    assert "将提醒 2 人" in page  # 张三 of 东湖镇, 李四 of 东湖村
    client.post(f"/reminders/chase/surveys/{survey.pk}/")
    inside = sorted([cadres["inside"].pk, cadres["inside_village"].pk])
    assert told_cadres("survey_due") == inside


def test_chase_refused_to_those_who_may_not(client, city, survey, scene):
    trainee = make_user(city.town_a1, Role.TRAINEE)
    client.force_login(trainee)
    assert client.get(f"/reminders/chase/surveys/{survey.pk}/").status_code == 403
    assert client.post(f"/reminders/chase/programs/{scene.program.pk}/outlines/").status_code == 403
    west = make_user(city.county_b, Role.ORGANIZER)
    client.force_login(west)
    assert client.post(f"/reminders/chase/programs/{scene.program.pk}/outlines/").status_code == 404
    assert told("outline_due") == []


def test_evaluation_chase_tells_attendees_who_did_not_fill_the_form(client, scene):
    from tests.reminders.test_schedule_targets import _fill

    starts, ends = past_window()
    session = make_session(scene.program, starts, ends, title="刚结束的课", batch=1)
    ye, sun = scene.batch1
    make_attendance(session, ye)
    make_attendance(session, sun)
    _fill(session, ye)
    client.force_login(scene.organizer)
    page = client.get(f"/evaluations/programs/{scene.program.pk}/").content.decode()
    assert f"/reminders/chase/programs/{scene.program.pk}/evaluations/" in page
    url = f"/reminders/chase/programs/{scene.program.pk}/evaluations/"
    assert "将提醒 1 人" in client.get(url).content.decode()
    client.post(url)
    assert told_cadres("evaluation_due") == [sun.pk]
    client.post(url)
    assert len(told("evaluation_due")) == 1


def test_outline_chase_tells_the_lecturer_once_a_day(client, scene):
    client.force_login(scene.organizer)
    page = client.get(f"/programs/{scene.program.pk}/outlines/").content.decode()
    url = f"/reminders/chase/programs/{scene.program.pk}/outlines/"
    assert url in page
    assert "将提醒 1 人" in client.get(url).content.decode()
    client.post(url)
    assert told_cadres("outline_due") == [scene.teacher_cadre.pk]
    client.post(url)
    assert len(told("outline_due")) == 1


def test_nominations_chase_shows_the_units_and_reminds_them(client, scene, city, town_contact):
    make_quota(scene.program, city.town_a1, seats=2)
    client.force_login(scene.organizer)
    page = client.get(f"/enrollment/programs/{scene.program.pk}/nominations/").content.decode()
    url = f"/reminders/chase/programs/{scene.program.pk}/quotas/"
    assert url in page
    assert "将提醒 1 个未报名单位的联络员，共 1 人" in client.get(url).content.decode()
    client.post(url)
    assert [u for u, _c in told("quota_reminder")] == [town_contact.pk]
    client.post(url)
    assert len(told("quota_reminder")) == 1
