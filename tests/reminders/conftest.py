"""A county program on 2 March 2030 with two batches, a lecturer with an account, trainees of
two towns (one without an account), and the scheduler run at chosen moments."""

from dataclasses import dataclass
from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import Notice
from ganxun.core.scoping import SYSTEM, acting_as, unscoped
from ganxun.programs.models import Program, Session
from ganxun.reminders.schedule import reminders_run
from tests.catalog.factories import make_lecturer
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session, make_venue


@dataclass
class Scene:
    organizer: object
    program: Program
    session: Session
    teacher_cadre: object
    teacher: object
    batch1: list  # cadres expected at the session
    batch2: list  # cadres of the other batch
    accounts: dict  # cadre id → trainee account (where one exists)


@pytest.fixture
def scene(city, town_contact) -> Scene:
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    program = make_program(
        city.county_a,
        organizer=organizer,
        name="周末知行学堂",
        start=date(2030, 3, 1),
        end=date(2030, 4, 30),
        status=Program.Status.OPEN,
    )
    teacher_cadre = CadreFactory(unit=city.county_a, name="何老师")
    lecturer = make_lecturer(city.county_a, "何老师", cadre=teacher_cadre)
    teacher = make_user(city.county_a, Role.LECTURER, cadre=teacher_cadre)
    hall = make_venue(city.county_a, "县委党校报告厅")
    session = make_session(
        program,
        at(date(2030, 3, 2), 9),
        title="党的创新理论",
        batch=1,
        main_venue=hall,
        lecturers=[lecturer],
    )
    batch1 = [
        CadreFactory(unit=city.town_a1, name="叶佳"),
        CadreFactory(unit=city.town_a2, name="孙新达"),
    ]
    batch2 = [CadreFactory(unit=city.town_a1, name="第二批学员")]
    enroll(program, batch1, batch=1)
    enroll(program, batch2, batch=2)
    accounts = {c.pk: make_user(c.unit, Role.TRAINEE, cadre=c) for c in (batch1[0], batch2[0])}
    return Scene(organizer, program, session, teacher_cadre, teacher, batch1, batch2, accounts)


def run(day: date, hh: int, mm: int = 0) -> dict:
    with acting_as(SYSTEM):  # as the worker's periodic thread runs it
        return reminders_run(at(day, hh, mm), strict=True)


def told(kind: str) -> list[tuple[int | None, int | None]]:
    """(user id, cadre id) of every notice of ``kind``, sorted."""
    with unscoped():
        rows = Notice._base_manager.filter(kind=kind).values_list("user_id", "cadre_id")
        return sorted(rows, key=lambda r: (r[1] or 0, r[0] or 0))


def told_cadres(kind: str) -> list[int]:
    return sorted({c for _u, c in told(kind) if c})
