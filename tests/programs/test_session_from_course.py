"""A session takes its teaching form, lecturers and theme from the chosen course (editable
afterwards), the dashboard counts them, and a migration corrects sessions saved before."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps

from ganxun.catalog.models import TeachingForm
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.programs import services
from ganxun.programs.models import Session
from ganxun.programs.services import SessionData
from ganxun.stats.period import Period
from ganxun.stats.report import stats_report
from tests.catalog.factories import make_course, make_theme
from tests.programs.factories import at, make_session

SAT = date(2030, 3, 9)


def taught_by(session) -> list[str]:
    with unscoped():
        return [lec.name for lec in session.lecturers.order_by("name")]


def theme_of(session) -> str | None:
    with unscoped():
        return session.theme.name if session.theme_id else None


@pytest.fixture
def organizer_client(client, setup):
    client.force_login(setup.organizer)
    return client


@pytest.fixture
def case_course(setup, city):
    digital = make_theme(city.county_a, "数字化改革")
    return make_course(
        city.county_a,
        "数字化改革案例研讨",
        form=TeachingForm.CASE,
        theme=digital,
        lecturers=[setup.li],
    )


def new_session_form(setup, **extra) -> dict:
    form = {
        "unit": setup.march.pk,
        "day": "2030-03-09",
        "start_time": "09:00",
        "end_time": "11:30",
        "title": "",
        "form": "",  # as the page first shows it: 按所选课程
        "theme": "",
        "main_venue": setup.hall.pk,
    }
    return {**form, **extra}


@pytest.mark.django_db
def test_choosing_a_case_course_schedules_a_case_session_with_its_lecturer_and_theme(
    organizer_client, setup, case_course, city
):
    url = f"/programs/{setup.program.pk}/sessions/new/"
    # given the new-session page, which offers "按所选课程" first for form and theme
    page = organizer_client.get(url).content.decode()
    assert "（按所选课程）" in page
    # when the organizer picks only the case-teaching course and saves
    response = organizer_client.post(url, new_session_form(setup, course=case_course.pk))
    assert response.status_code == 302
    session = Session.objects.visible_to(setup.organizer).get()
    # then the session is case teaching, taught by the course's lecturer, in its theme
    assert session.title == "数字化改革案例研讨"
    assert session.form == TeachingForm.CASE
    assert taught_by(session) == ["李明"]
    assert theme_of(session) == "数字化改革"
    entry = AuditEntry.objects.filter(object_type="programs.session").get()
    assert entry.changes["form"] == [None, "case"]
    # and the dashboard counts it as interactive teaching under its theme
    report = stats_report(city.county_a, Period.of_year(2030), panels_wanted=False)
    assert report.interactive_share == 100
    assert [row.label for row in report.by_theme] == ["数字化改革"]


@pytest.mark.django_db
def test_form_lecturers_and_theme_stay_editable_after_the_course_filled_them(
    organizer_client, setup, case_course, city
):
    session, _ = services.session_save(
        actor=setup.organizer,
        program=setup.program,
        data=SessionData(
            starts_at=at(SAT, 9), ends_at=at(SAT, 11), unit=setup.march, course=case_course
        ),
    )
    assert session.form == TeachingForm.CASE
    # when the organizer changes it to a drill with another lecturer and theme
    other = make_theme(city.county_a, "应急管理")
    url = f"/programs/sessions/{session.pk}/edit/"
    response = organizer_client.post(
        url,
        new_session_form(
            setup,
            course=case_course.pk,
            form=TeachingForm.SIMULATION,
            theme=other.pk,
            lecturers=[setup.zhang.pk],
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    # then the organizer's choices stand
    assert session.form == TeachingForm.SIMULATION
    assert theme_of(session) == "应急管理"
    assert taught_by(session) == ["张平"]


@pytest.mark.django_db
def test_a_session_without_a_course_stays_a_lecture(setup):
    session, _ = services.session_save(
        actor=setup.organizer,
        program=setup.program,
        data=SessionData(
            starts_at=at(SAT, 9),
            ends_at=at(SAT, 11),
            unit=setup.march,
            title="开班式",
            lecturers=[setup.zhang],
        ),
    )
    assert session.form == TeachingForm.LECTURE and theme_of(session) is None


@pytest.mark.django_db
def test_the_migration_corrects_sessions_saved_as_lectures_where_the_course_is_known(
    setup, case_course
):
    # given a session saved before this change: the case course, yet a lecture, no lecturer
    old = make_session(setup.program, at(SAT, 9), course=case_course, title="数字化改革案例研讨")
    typed = make_session(
        setup.program, at(SAT, 14), course=case_course, form=TeachingForm.SITE_VISIT, title="现场"
    )
    plain = make_session(setup.program, at(SAT, 19), title="开班式")
    assert old.form == TeachingForm.LECTURE
    # when the data migration runs
    migration = importlib.import_module("ganxun.programs.migrations.0004_session_theme_from_course")
    migration.from_course(django_apps, None)
    # then the session takes the course's form, theme and lecturer; a retyped one keeps its form
    old.refresh_from_db()
    typed.refresh_from_db()
    plain.refresh_from_db()
    assert old.form == TeachingForm.CASE and theme_of(old) == "数字化改革"
    assert taught_by(old) == ["李明"]
    assert typed.form == TeachingForm.SITE_VISIT and theme_of(typed) == "数字化改革"
    assert plain.form == TeachingForm.LECTURE and theme_of(plain) is None
