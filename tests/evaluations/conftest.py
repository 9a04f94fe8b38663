"""A county program with a session that ended an hour ago, its lecturer (with an account),
six trainees with accounts who checked in, and one who did not."""

from dataclasses import dataclass

import pytest

from ganxun.accounts.models import Role
from ganxun.catalog.models import Course, Lecturer
from ganxun.programs.models import Program, Session
from tests.catalog.factories import make_course, make_lecturer, make_theme
from tests.evaluations.factories import make_attendance, past_window
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program, make_session, make_venue


@dataclass
class Scene:
    organizer: object
    program: Program
    session: Session
    lecturer: Lecturer
    lecturer_user: object
    course: Course
    trainees: list  # users who checked in
    absent: object  # a trainee user who did not check in


@pytest.fixture
def scene(city) -> Scene:
    organizer = make_user(city.county_a, Role.ORGANIZER, username="org_a")
    program = make_program(city.county_a, organizer=organizer, name="东江县青年干部班")
    teacher_cadre = CadreFactory(unit=city.county_a, name="钱老师")
    lecturer = make_lecturer(city.county_a, "钱老师", cadre=teacher_cadre)
    lecturer_user = make_user(city.county_a, Role.LECTURER, username="teacher", cadre=teacher_cadre)
    theme = make_theme(city.county_a, "风险防范")
    course = make_course(city.county_a, "应急处置实务", theme=theme)
    venue = make_venue(city.county_a, "县委党校报告厅")
    starts, ends = past_window()
    session = make_session(
        program,
        starts,
        ends,
        title="应急处置实务",
        lecturers=[lecturer],
        course=course,
        main_venue=venue,
    )
    units = [city.town_a1, city.town_a1, city.town_a2, city.town_a2, city.town_a1, city.town_a2]
    cadres = [CadreFactory(unit=u, name=f"学员{i}") for i, u in enumerate(units, 1)]
    absent_cadre = CadreFactory(unit=city.town_a1, name="缺课学员")
    enroll(program, [*cadres, absent_cadre])
    trainees = [make_user(c.unit, Role.TRAINEE, cadre=c) for c in cadres]
    absent = make_user(city.town_a1, Role.TRAINEE, cadre=absent_cadre)
    for c in cadres:
        make_attendance(session, c)
    return Scene(organizer, program, session, lecturer, lecturer_user, course, trainees, absent)
