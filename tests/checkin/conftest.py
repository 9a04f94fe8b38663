"""A county class running now: a main hall and a video sub-classroom, three enrolled trainees
(two with accounts), an organizer, and a cadre of the county who is not enrolled."""

from dataclasses import dataclass

import pytest

from ganxun.accounts.models import Role
from ganxun.programs.models import Program, Session, Venue
from tests.checkin.factories import make_trainee, session_now
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program, make_venue


@dataclass
class Klass:
    organizer: object
    program: Program
    session: Session
    hall: Venue
    video: Venue
    alice: object  # trainee account, 东湖镇
    bob: object  # trainee account, 南岭乡
    carol: object  # enrolled cadre without an account, 东湖镇
    outsider: object  # trainee account of 东江县, not enrolled
    far_away: object  # trainee account of 西山区 (another county), not enrolled


@pytest.fixture
def klass(city) -> Klass:
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    program = make_program(city.county_a, organizer=organizer, name="东江县中青班")
    hall = make_venue(city.county_a, "县委党校报告厅", capacity=300)
    video = make_venue(
        city.county_a, "东湖镇视频分课堂", kind=Venue.Kind.VIDEO, serves=city.town_a1
    )
    session = session_now(program, main_venue=hall, sub_venues=[video], title="风险防范专题")
    alice = make_trainee(city.town_a1, "陈红")
    bob = make_trainee(city.town_a2, "刘洋")
    carol = CadreFactory(unit=city.town_a1, name="周敏")
    enroll(program, [alice.cadre, bob.cadre, carol])
    outsider = make_trainee(city.town_a1, "孙强")
    far_away = make_trainee(city.town_b1, "吴刚")
    return Klass(organizer, program, session, hall, video, alice, bob, carol, outsider, far_away)
