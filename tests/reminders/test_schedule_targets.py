"""Surveys, evaluation forms, outlines and hours: only those who have not acted are told, once,
at the configured moment."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.credits.models import Channel, CreditEntry
from ganxun.evaluations.models import SessionEvaluation
from ganxun.needs import services as needs_services
from ganxun.needs.models import Respondent
from ganxun.needs.targeting import Targeting
from ganxun.reminders.models import ReminderSetting
from ganxun.surveys.models import Questionnaire, Response
from tests.evaluations.factories import make_attendance
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, make_session
from tests.reminders.conftest import run, told, told_cadres

pytestmark = pytest.mark.django_db


# --- surveys -------------------------------------------------------------------------------


@pytest.fixture
def survey(admin, city, cadres):
    survey = needs_services.needs_survey_create(
        actor=admin, org=city.city, template="needs_default"
    )
    needs_services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    q = survey.questionnaire
    q.status, q.closes_at = Questionnaire.Status.OPEN, at(date(2030, 3, 10), 18)
    with unscoped():
        q.save()
    return survey


def _submit(survey, cadre):
    with unscoped():
        respondent = Respondent.objects.get(survey=survey, cadre=cadre)
        respondent.response = Response.objects.create(
            questionnaire=survey.questionnaire,
            status=Response.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        respondent.save()


def test_survey_deadline_reaches_only_non_respondents_and_their_unit_contacts(
    survey, cadres, town_contact, city
):
    # given 张三 (东湖镇) has answered, and the others have not
    south_contact = make_user(city.town_a2, Role.UNIT_CONTACT)
    _submit(survey, cadres["inside"])
    # when the scheduler runs 25 hours before the deadline (default: 24), nothing is sent
    assert run(date(2030, 3, 9), 17)["survey_due"] == 0
    # when it runs 24 hours before
    run(date(2030, 3, 9), 18)
    # then every invited cadre who has not submitted is told — not 张三
    with unscoped():
        invited = set(Respondent.objects.filter(survey=survey).values_list("cadre_id", flat=True))
    assert told_cadres("survey_due") == sorted(invited - {cadres["inside"].pk})
    # and the contact of 南岭乡 (王五 has not answered) gets her unit's count; 东湖镇's contact
    # nothing: everyone of 东湖镇 itself answered (李四 sits in 东湖村)
    contacts = [u for u, _c in told("survey_due_unit")]
    assert south_contact.pk in contacts and town_contact.pk not in contacts
    # and once only
    assert run(date(2030, 3, 9), 19)["survey_due"] == 0


def test_survey_reminder_switched_off_for_the_city(survey, city):
    ReminderSetting.objects.create(org=city.city, kind="survey_due", enabled=False)
    assert run(date(2030, 3, 9), 18)["survey_due"] == 0


# --- evaluation forms --------------------------------------------------------------------------


def test_evaluation_closing_reaches_attendees_who_did_not_fill_it(scene):
    # given the class of 2 March 9:00–12:00; 叶佳 attended and filled the form, 孙新达 attended
    # and did not, the batch-2 trainee did not attend
    ye, sun = scene.batch1
    make_attendance(scene.session, ye)
    make_attendance(scene.session, sun)
    _fill(scene.session, ye)
    # the form closes 72 hours after the end (5 March 12:00); the reminder goes 12 hours before
    assert run(date(2030, 3, 4), 23, 59)["evaluation_due"] == 0
    assert run(date(2030, 3, 5), 0, 0)["evaluation_due"] == 1
    assert told_cadres("evaluation_due") == [sun.pk]
    assert run(date(2030, 3, 5), 1)["evaluation_due"] == 0
    # after it closed nothing more
    assert run(date(2030, 3, 5), 13)["evaluation_due"] == 0


# --- outlines ----------------------------------------------------------------------------------


def test_outline_due_reaches_lecturers_without_an_outline_once(scene):
    # the outline is due 7 days before class (23 Feb 9:00); the reminder 48 hours before that
    assert run(date(2030, 2, 21), 8, 59)["outline_due"] == 0
    assert run(date(2030, 2, 21), 9)["outline_due"] == 1
    assert told_cadres("outline_due") == [scene.teacher_cadre.pk]
    assert run(date(2030, 2, 22), 9)["outline_due"] == 0


def test_a_submitted_outline_is_not_reminded(scene):
    scene.session.outline_status = "submitted"
    scene.session.save()
    assert run(date(2030, 2, 21), 9)["outline_due"] == 0


def test_batch_two_of_the_same_class_shares_one_outline_reminder(scene, city):
    # given batch 2 has the same course and lecturer a day later
    from tests.catalog.factories import make_course

    course = make_course(city.county_a, "党的创新理论")
    scene.session.course = course
    scene.session.save()
    with unscoped():
        lecturers = list(scene.session.lecturers.all())
    make_session(
        scene.program,
        scene.session.starts_at + timedelta(hours=3),
        title="党的创新理论",
        batch=2,
        course=course,
        lecturers=lecturers,
    )
    run(date(2030, 2, 21), 12)
    assert len(told("outline_due")) == 1


# --- hours short of the year's requirement --------------------------------------------------------


def test_hours_short_on_the_configured_dates_once(city, town_contact):
    # given two active cadres of 东湖镇: one has met the year's requirement, one has not
    short = CadreFactory(unit=city.town_a1, name="差学时", rank="section_main")
    done = CadreFactory(unit=city.town_a1, name="已达标", rank="section_main")
    make_user(city.town_a1, Role.TRAINEE, cadre=short)
    for channel in Channel.values:  # plenty on every channel: every rule met
        CreditEntry.objects.create(
            cadre=done,
            day=date(2030, 6, 1),
            hours=Decimal("200"),
            channel=channel,
            title="培训",
            source=f"manual:{channel}",
            ref_key=f"manual:{channel}",
        )
    # when the scheduler runs on 30 September, or on 1 October before 9:00, nothing is sent
    assert run(date(2030, 9, 30), 10)["hours_short"] == 0
    assert run(date(2030, 10, 1), 8, 59)["hours_short"] == 0
    # when it runs on 1 October at 9:00
    run(date(2030, 10, 1), 9)
    # then the cadre short of hours is told, not the one who met it
    assert short.pk in told_cadres("hours_short") and done.pk not in told_cadres("hours_short")
    # and 东湖镇's contact gets the unit's count
    assert [u for u, _c in told("hours_short_unit")] == [town_contact.pk]
    # once
    before = len(told("hours_short"))
    assert run(date(2030, 10, 1), 15)["hours_short"] == 0
    assert run(date(2030, 10, 2), 9)["hours_short"] == 0
    assert len(told("hours_short")) == before
    # and again on 1 November
    assert run(date(2030, 11, 1), 9)["hours_short"] > 0


def test_hours_short_dates_set_by_a_county(city):
    CadreFactory(unit=city.town_a1, name="东江干部", rank="section_main")
    CadreFactory(unit=city.town_b1, name="西山干部", rank="section_main")
    ReminderSetting.objects.create(org=city.county_a, kind="hours_short", dates="09-15", value=8)
    run(date(2030, 9, 15), 8)
    names = set()
    with unscoped():
        from ganxun.orgs.models import Cadre

        names = set(
            Cadre.objects.filter(pk__in=told_cadres("hours_short")).values_list("name", flat=True)
        )
    assert names == {"东江干部"}
    # and the county does not get the city's 1 October
    run(date(2030, 10, 1), 9)
    with unscoped():
        from ganxun.orgs.models import Cadre

        later = set(
            Cadre.objects.filter(pk__in=told_cadres("hours_short")).values_list("name", flat=True)
        )
    assert later == {"东江干部", "西山干部"}


def _fill(session, cadre):
    """The cadre's filled form for the session."""
    with unscoped():
        response = Response.objects.create(
            questionnaire=Questionnaire.objects.create(org=session.program.org, title="评价表"),
            status=Response.Status.SUBMITTED,
        )
    SessionEvaluation.objects.create(
        session=session, cadre=cadre, response=response, submitted_at=timezone.now()
    )


def test_hours_short_reads_in_bounded_queries_whatever_the_number_of_cadres(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n: int, day: date) -> int:
        for i in range(n):
            cadre = CadreFactory(unit=city.town_a1, rank="section_main")
            if i % 2:
                make_user(city.town_a1, Role.TRAINEE, cadre=cadre)
        with CaptureQueriesContext(connection) as ctx:
            run(day, 9)
        return len(ctx.captured_queries)

    few = queries_for(3, date(2030, 10, 1))
    many = queries_for(60, date(2030, 11, 1))
    assert many <= few + 2  # bulk sends: no query per cadre


def test_a_date_with_nobody_short_is_swept_once(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # nobody on the roster: the sweep finds nobody short, and is not redone the next minute
    run(date(2030, 10, 1), 9)
    with CaptureQueriesContext(connection) as ctx:
        assert run(date(2030, 10, 1), 9, 1)["hours_short"] == 0
    assert not any("credits_creditentry" in q["sql"] for q in ctx.captured_queries)
