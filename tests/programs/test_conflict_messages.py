"""A conflict message names what it is about: which classroom, lecturer or trainees, which
other session, and when — the organizer fixes it without opening the calendar."""

from datetime import date, time

import pytest

from ganxun.programs import recurrence, services
from ganxun.programs.services import ConflictError, SeriesData, SessionData
from tests.factories import CadreFactory
from tests.programs.factories import at, enroll, make_program, make_session

SAT = date(2030, 3, 9)


def data(s, **extra) -> SessionData:
    extra.setdefault("title", "风险防范与应急处置")
    extra.setdefault("lecturers", [s.zhang])
    extra.setdefault("main_venue", s.hall)
    extra.setdefault("unit", s.march)
    return SessionData(starts_at=at(SAT, 9), ends_at=at(SAT, 12), **extra)


def refused(s, d, **kw) -> list:
    with pytest.raises(ConflictError) as caught:
        services.session_save(actor=s.organizer, program=s.program, data=d, **kw)
    return caught.value.conflicts


@pytest.mark.django_db
def test_a_busy_sub_classroom_is_named_with_the_session_holding_it(setup):
    make_session(
        setup.program,
        at(SAT, 10),
        at(SAT, 11),
        sub_venues=[setup.video],
        lecturers=[setup.li],
        title="基层治理案例",
    )
    d = data(setup, sub_venues=[setup.video])
    (conflict,) = refused(setup, d)
    assert conflict.kind == "venue_busy"
    assert "东湖镇视频分课堂" in conflict.message
    assert "基层治理案例" in conflict.message and "周末知行学堂" in conflict.message
    assert "2030-03-09（周六）10:00–11:00" in conflict.message


@pytest.mark.django_db
def test_a_busy_lecturer_is_named_with_the_other_session(setup):
    make_session(
        setup.program, at(SAT, 8), at(SAT, 10), lecturers=[setup.zhang], title="应急管理概论"
    )
    (conflict,) = refused(setup, data(setup, main_venue=None))
    assert conflict.kind == "lecturer_busy"
    assert "张平" in conflict.message and "应急管理概论" in conflict.message


@pytest.mark.django_db
def test_a_session_of_an_org_the_organizer_cannot_open_is_named_only_by_its_time(setup, city):
    other = make_program(city.county_b, name="西山区干部班")
    make_session(other, at(SAT, 10), at(SAT, 11), lecturers=[setup.zhang], title="西山的课")
    (conflict,) = refused(setup, data(setup))
    assert "张平" in conflict.message and "其他单位组织的课次" in conflict.message
    assert "西山的课" not in conflict.message


@pytest.mark.django_db
def test_trainees_booked_twice_are_named_with_the_other_session(setup):
    cadre = CadreFactory(unit=setup.program.org, name="王海燕")
    enroll(setup.program, [cadre])
    make_session(setup.program, at(SAT, 10), at(SAT, 11), title="开班式")
    conflicts = refused(setup, data(setup, main_venue=None))
    (busy,) = [c for c in conflicts if c.kind == "trainee_busy"]
    assert "王海燕" in busy.message and "开班式" in busy.message


@pytest.mark.django_db
def test_a_generated_series_names_the_busy_lecturer_and_the_session_in_the_way(setup):
    rule = recurrence.Rule(freq="weekly", start=SAT, weekdays=[5], count=2)
    series = SeriesData(
        rule=rule,
        start_time=time(9),
        end_time=time(12),
        template=SessionData(
            starts_at=None, ends_at=None, title="党史专题", lecturers=[setup.li], main_venue=None
        ),
    )
    make_session(
        setup.program,
        at(SAT, 11),
        at(SAT, 13),
        main_venue=setup.hall,
        lecturers=[setup.li],
        title="上一场",
    )
    with pytest.raises(ConflictError) as caught:
        services.sessions_generate(actor=setup.organizer, program=setup.program, series=series)
    (conflict,) = caught.value.conflicts
    assert "李明" in conflict.message and "上一场" in conflict.message
