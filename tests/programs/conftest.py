"""A county's program with two monthly units, classrooms, lecturers and trainees."""

from dataclasses import dataclass
from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.catalog.models import Lecturer
from ganxun.programs.models import Program, ProgramUnit, Venue
from tests.catalog.factories import make_lecturer
from tests.factories import CadreFactory, make_user
from tests.programs.factories import make_program, make_unit, make_venue


@dataclass
class Setup:
    organizer: object
    reviewer: object
    program: Program
    march: ProgramUnit
    april: ProgramUnit
    hall: Venue
    video: Venue
    zhang: Lecturer
    li: Lecturer


@pytest.fixture
def setup(city) -> Setup:
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    reviewer = make_user(city.county_a, Role.REVIEWER, username="fenguan")
    program = make_program(
        city.county_a,
        organizer=organizer,
        name="周末知行学堂",
        start=date(2030, 3, 1),
        end=date(2030, 4, 30),
        outline_days_before=7,
    )
    program.reviewers.set([reviewer])
    march = make_unit(program, 1, start=date(2030, 3, 1), end=date(2030, 3, 31), title="风险防范")
    april = make_unit(program, 2, start=date(2030, 4, 1), end=date(2030, 4, 30), title="基层治理")
    hall = make_venue(city.county_a, "县委党校报告厅", capacity=300)
    video = make_venue(
        city.county_a, "东湖镇视频分课堂", kind=Venue.Kind.VIDEO, capacity=2, serves=city.town_a1
    )
    lecturer_cadre = CadreFactory(unit=city.county_a, name="张平")
    zhang = make_lecturer(city.county_a, "张平", cadre=lecturer_cadre, affiliation="县应急管理局")
    li = make_lecturer(city.county_a, "李明", affiliation="县委党校")
    return Setup(organizer, reviewer, program, march, april, hall, video, zhang, li)
