"""A county's finished program with two units' trainees, its organizer and a trainee account."""

from dataclasses import dataclass
from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.programs.models import Program
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program


@dataclass
class Setup:
    organizer: object
    program: Program
    chen: object  # 陈晓明 of 东湖镇, with a trainee account
    wang: object  # 王丽 of 东湖镇
    li: object  # 李强 of 南岭乡
    trainee: object


@pytest.fixture
def setup(city, settings, tmp_path) -> Setup:
    settings.MEDIA_ROOT = tmp_path
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    program = make_program(
        city.county_a,
        organizer=organizer,
        name="周末知行学堂",
        start=date(2025, 3, 1),
        end=date(2025, 4, 30),
    )
    chen = CadreFactory(unit=city.town_a1, name="陈晓明")
    wang = CadreFactory(unit=city.town_a1, name="王丽")
    li = CadreFactory(unit=city.town_a2, name="李强")
    enroll(program, [chen, wang, li])
    trainee = make_user(city.town_a1, Role.TRAINEE, username="chenxm", cadre=chen)
    return Setup(organizer, program, chen, wang, li, trainee)
