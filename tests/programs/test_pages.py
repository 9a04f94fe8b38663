"""The program pages: forms post to services, refusals land on the form, lists stay within a
bounded number of queries, and other counties' programs are not found."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog import services as catalog_services
from ganxun.catalog.errors import CatalogError
from ganxun.programs.models import Program, ProgramTrainee, ProgramUnit, Session
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session


@pytest.fixture
def organizer_client(client, setup):
    client.force_login(setup.organizer)
    return client


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_an_organizer_creates_a_program_with_a_unit(organizer_client, setup, city):
    response = organizer_client.post(
        "/programs/new/",
        {
            "name": "铁肩计划",
            "brand": "铁肩计划",
            "cohort": "4",
            "start_date": "2030-05-01",
            "end_date": "2030-08-31",
            "status": "draft",
            "batch_count": "2",
            "min_on_duty": "0.4",
            "outline_days_before": "7",
            "reviewers": [setup.reviewer.pk],
            "main_venue": setup.hall.pk,
            "step_reading": "on",
            "label_reading": "研读书目",
            "step_summary": "on",
            "label_summary": "学用成果总结",
        },
    )
    program = Program.objects.visible_to(setup.organizer).get(name="铁肩计划")
    assert response.status_code == 302 and response["Location"] == f"/programs/{program.pk}/"
    assert program.steps == [
        {"kind": "reading", "label": "研读书目"},
        {"kind": "summary", "label": "学用成果总结"},
    ]
    assert program.full_name == "铁肩计划第4期" and program.org == city.county_a
    response = organizer_client.post(
        f"/programs/{program.pk}/units/new/",
        {"title": "红色·理想信念", "start_date": "2030-05-01", "end_date": "2030-05-31"},
    )
    assert response.status_code == 302
    assert ProgramUnit.objects.visible_to(setup.organizer).get(program=program).seq == 1
    # a unit outside the program's period is refused on the form
    page = organizer_client.post(
        f"/programs/{program.pk}/units/new/",
        {"title": "超期单元", "start_date": "2030-09-01", "end_date": "2030-09-30"},
    ).content.decode()
    assert "单元日期须在项目周期" in page


@pytest.mark.django_db
def test_the_session_form_shows_conflicts_and_asks_to_accept_warnings(organizer_client, setup):
    url = f"/programs/{setup.program.pk}/sessions/new/"
    form = {
        "unit": setup.march.pk,
        "day": "2030-03-09",
        "start_time": "09:00",
        "end_time": "11:30",
        "title": "风险研判",
        "form": "case",
        "main_venue": setup.hall.pk,
    }
    # no lecturer: a warning, nothing saved, and a tick box to accept it
    page = organizer_client.post(url, form).content.decode()
    assert "尚未指定授课教师" in page and "我已知晓以上提示" in page
    assert not Session.objects.visible_to(setup.organizer).exists()
    response = organizer_client.post(url, {**form, "accept_warnings": "on"})
    session = Session.objects.visible_to(setup.organizer).get()
    assert response["Location"] == f"/programs/sessions/{session.pk}/"
    # the same room at the same time is refused outright
    page = organizer_client.post(url, {**form, "lecturers": [setup.li.pk]}).content.decode()
    assert "教室“县委党校报告厅”已被占用" in page and 'data-kind="venue_busy"' in page


@pytest.mark.django_db
def test_a_series_of_ten_thousand_is_refused_on_the_form(organizer_client, setup):
    page = organizer_client.post(
        f"/programs/{setup.program.pk}/sessions/series/",
        {
            "freq": "weekly",
            "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
            "interval": "1",
            "nth": "1",
            "start": "2030-03-01",
            "count": "10000",
            "start_time": "09:00",
            "end_time": "11:00",
            "title": "每日一课",
            "form": "lecture",
        },
    ).content.decode()
    assert "超过单次上限 200 次" in page
    assert not Session.objects.visible_to(setup.organizer).exists()


@pytest.mark.django_db
def test_trainees_are_added_from_the_roster_by_unit_and_role(organizer_client, setup, city):
    CadreFactory(unit=city.town_a1, leader_role="secretary")
    CadreFactory(unit=city.village_a1, leader_role="head")
    CadreFactory(unit=city.town_a2, leader_role="secretary")
    CadreFactory(unit=city.town_a1, leader_role="secretary", status="retired")
    url = f"/programs/{setup.program.pk}/trainees/"

    def add(filters):
        # a preview first; then the confirmation of exactly that preview
        page = organizer_client.post(url, filters).content.decode()
        fp = page.split('name="bulk_fingerprint" value="')[1].split('"')[0]
        organizer_client.post(url, {**filters, "bulk_confirm": "1", "bulk_fingerprint": fp})

    add({"unit": city.town_a1.pk})
    assert ProgramTrainee.objects.visible_to(setup.organizer).count() == 2
    add({"unit": city.county_a.pk, "leader_role": "secretary"})
    assert ProgramTrainee.objects.visible_to(setup.organizer).count() == 3


@pytest.mark.django_db
def test_pages_render_for_each_role(client, setup, city):
    trainee_cadre = CadreFactory(unit=city.town_a1, name="陈学员")
    row = enroll(setup.program, [trainee_cadre], batch=None)[0]
    start = timezone.now() + timedelta(days=3)
    session = make_session(setup.program, start, lecturers=[setup.zhang], main_venue=setup.hall)
    lecturer = make_user(city.county_a, Role.LECTURER, cadre=setup.zhang.cadre)
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=trainee_cadre)
    pk = setup.program.pk
    pages = {
        setup.organizer: [
            "/programs/",
            f"/programs/{pk}/",
            f"/programs/{pk}/sessions/",
            f"/programs/{pk}/trainees/",
            f"/programs/{pk}/batches/",
            f"/programs/{pk}/outlines/",
            f"/programs/{pk}/calendar/",
            f"/programs/{pk}/calendar/?view=week&date={start:%Y-%m-%d}",
            f"/programs/{pk}/timetable/",
            f"/programs/sessions/{session.pk}/",
            f"/programs/sessions/{session.pk}/edit/",
            f"/programs/sessions/{session.pk}/consultation/",
            "/programs/venues/",
            f"/programs/venues/{setup.hall.pk}/calendar/",
            f"/programs/lecturers/{setup.zhang.pk}/calendar/",
            "/programs/pending-outlines/",
            "/",
        ],
        setup.reviewer: ["/programs/review/", f"/programs/sessions/{session.pk}/", "/"],
        lecturer: ["/programs/teaching/", f"/programs/sessions/{session.pk}/outline/", "/"],
        trainee: ["/programs/my/", f"/programs/my/{pk}/", "/programs/my/calendar/", "/"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(trainee)
    assert session.title in client.get("/").content.decode()  # 下一次课
    assert row.pk


@pytest.mark.django_db
def test_lists_and_calendars_run_a_bounded_number_of_queries(organizer_client, setup, city):
    pk = setup.program.pk
    urls = [
        "/programs/",
        f"/programs/{pk}/sessions/",
        f"/programs/{pk}/timetable/",
        f"/programs/{pk}/calendar/?date=2030-03-10",
        f"/programs/{pk}/trainees/",
        f"/programs/{pk}/outlines/",
        "/programs/pending-outlines/",
        f"/api/programs/{pk}/sessions",
    ]

    def grow(n, offset):
        enroll(setup.program, [CadreFactory(unit=city.town_a1) for _ in range(n)])
        for i in range(n):
            day = date(2030, 3, 1 + (offset + i) % 28)
            make_session(
                setup.program,
                at(day, 8 + i % 10),
                lecturers=[setup.zhang, setup.li],
                main_venue=setup.hall,
                sub_venues=[setup.video],
                unit=setup.march,
            )
        make_program(city.county_a)

    grow(2, 0)
    few = {url: queries(organizer_client, url) for url in urls}
    grow(20, 2)
    for url in urls:
        many = queries(organizer_client, url)
        assert many <= few[url] and many <= 25, (url, few[url], many)


@pytest.mark.django_db
def test_another_countys_organizer_finds_nothing(client, setup, city):
    session = make_session(setup.program, at(date(2030, 3, 9), 9), lecturers=[setup.zhang])
    outsider = make_user(city.county_b, Role.ORGANIZER)
    client.force_login(outsider)
    pk = setup.program.pk
    for url in (
        f"/programs/{pk}/",
        f"/programs/{pk}/sessions/",
        f"/programs/sessions/{session.pk}/",
        f"/programs/units/{setup.march.pk}/edit/",
        f"/api/programs/{pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert "周末知行学堂" not in client.get("/programs/").content.decode()


@pytest.mark.django_db
def test_staff_below_read_a_program_from_above_but_cannot_change_it(client, setup, city):
    town_organizer = make_user(city.town_a1, Role.ORGANIZER)
    client.force_login(town_organizer)
    assert client.get(f"/programs/{setup.program.pk}/").status_code == 200
    assert client.get(f"/programs/{setup.program.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_a_lecturer_with_future_sessions_cannot_be_deleted(setup):
    make_session(
        setup.program, timezone.now() + timedelta(days=5), lecturers=[setup.li], title="基层治理"
    )
    with pytest.raises(CatalogError) as caught:
        catalog_services.lecturer_delete(actor=setup.organizer, lecturer=setup.li)
    assert caught.value.code == "lecturer_has_commitments"
    assert "课次《基层治理》" in caught.value.message and "周末知行学堂" in caught.value.message


@pytest.mark.django_db
def test_edit_forms_come_back_filled_in_for_the_date_pickers(organizer_client, setup):
    session = make_session(setup.program, at(date(2030, 3, 9), 9), unit=setup.march)
    page = organizer_client.get(f"/programs/sessions/{session.pk}/edit/").content.decode()
    assert 'value="2030-03-09"' in page and 'value="09:00"' in page and 'value="12:00"' in page
    page = organizer_client.get(f"/programs/{setup.program.pk}/edit/").content.decode()
    assert 'value="2030-03-01"' in page and 'value="2030-04-30"' in page
    page = organizer_client.get(f"/programs/units/{setup.march.pk}/edit/").content.decode()
    assert 'value="2030-03-31"' in page


@pytest.mark.django_db
def test_courses_on_the_programs_training_menu_are_offered_first(organizer_client, setup, city):
    from ganxun.catalog.models import MenuItem
    from tests.catalog.factories import make_call, make_course

    make_course(city.county_a, "A 其他课程")
    on_menu = make_course(city.county_a, "Z 菜单课程")
    call = make_call(city.county_a, organizer=setup.organizer)
    MenuItem.objects.create(call=call, course=on_menu)
    Program.objects.visible_to(setup.organizer).filter(pk=setup.program.pk).update(menu_call=call)
    page = organizer_client.get(f"/programs/{setup.program.pk}/sessions/new/").content.decode()
    assert "★ Z 菜单课程" in page
    assert page.index("★ Z 菜单课程") < page.index("A 其他课程")
