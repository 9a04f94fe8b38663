"""A city program (东江县's 周末知行学堂) with a county organizer and a township contact."""

from dataclasses import dataclass
from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.programs.models import Program
from tests.factories import make_user
from tests.programs.factories import make_program


@dataclass
class Setup:
    organizer: object
    contact: object
    program: Program


@pytest.fixture
def setup(city, town_contact) -> Setup:
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    program = make_program(
        city.county_a,
        organizer=organizer,
        name="周末知行学堂",
        start=date(2030, 3, 1),
        end=date(2030, 4, 30),
        target_groups="乡科级及以下干部",
    )
    return Setup(organizer, town_contact, program)
