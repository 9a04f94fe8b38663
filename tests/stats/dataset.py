"""A small known dataset and its hand-computed figures, shared by the reconciliation tests.

甬江市 2030 (see the comments for how each figure was counted):
  P1 city, 本地集中, starts 2030-03-01, brand 周末知行学堂 cohort 1: trainees a1, a2, b1;
     S1 lecture 3 h = 4 学时 (a1, a2, b1 attend), S2 case 2.5 set 学时 (a1, b1 attend)
  P2 东江县, 域外, starts 2030-05-01, same brand cohort 2: trainees a1, a3, x (x retired);
     S3 seminar 4 h = 5 学时 (a1, a3 attend)
  P3 city, 远程, starts 2029-12-20 (outside 2030): trainee c1; S4 lecture 3 h = 4 学时 on 2030-01-05
     (c1 attends — the session is in 2030, the program is not)
  P4 西山区, starts 2031 — outside.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ganxun.checkin.models import Attendance
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Channel
from tests.budgets.factories import make_budget, make_expense, make_income
from tests.factories import CadreFactory, CategoryFactory
from tests.programs.factories import at, enroll, make_program, make_session


@dataclass
class Dataset:
    p1: object
    cadres: dict


def attend(session, *cadres):
    for c in cadres:
        Attendance.objects.create(
            session=session, cadre=c, checked_in_at=session.starts_at, method="manual"
        )


def build(city, admin) -> Dataset:
    young = CategoryFactory(code="young", name="年轻干部")
    c = {
        "a1": CadreFactory(unit=city.town_a1, rank=Cadre.Rank.SECTION_MAIN),
        "a2": CadreFactory(unit=city.village_a1, rank=Cadre.Rank.GENERAL),
        "a3": CadreFactory(unit=city.town_a2, rank=Cadre.Rank.SECTION_DEPUTY),
        "b1": CadreFactory(unit=city.town_b1, rank=Cadre.Rank.GENERAL),
        "c1": CadreFactory(unit=city.city, rank=Cadre.Rank.COUNTY_MAIN),
        "x": CadreFactory(unit=city.town_a2, status=Cadre.Status.RETIRED),
    }
    c["a1"].categories.through.objects.create(cadre=c["a1"], cadrecategory=young)
    c["b1"].categories.through.objects.create(cadre=c["b1"], cadrecategory=young)
    brand = {"brand": "周末知行学堂", "name": "周末知行学堂"}
    p1 = make_program(city.city, organizer=admin, start=date(2030, 3, 1), cohort=1, **brand)
    p2 = make_program(
        city.county_a, start=date(2030, 5, 1), cohort=2, channel=Channel.OUT_OF_REGION, **brand
    )
    p3 = make_program(
        city.city,
        organizer=admin,
        start=date(2029, 12, 20),
        channel=Channel.REMOTE,
        name="空中课堂",
    )
    p4 = make_program(city.county_b, start=date(2031, 1, 10), name="明年的班")
    enroll(p1, [c["a1"], c["a2"], c["b1"]])
    enroll(p2, [c["a1"], c["a3"], c["x"]])
    enroll(p3, [c["c1"]])
    enroll(p4, [c["b1"]])
    s1 = make_session(p1, at(date(2030, 3, 9), 9), at(date(2030, 3, 9), 12), form="lecture")
    s2 = make_session(p1, at(date(2030, 3, 16), 9), form="case", credit_hours=Decimal("2.5"))
    s3 = make_session(p2, at(date(2030, 5, 10), 8), at(date(2030, 5, 10), 12), form="seminar")
    s4 = make_session(p3, at(date(2030, 1, 5), 9), at(date(2030, 1, 5), 12), form="lecture")
    make_session(p4, at(date(2031, 1, 12), 9), form="case")
    attend(s1, c["a1"], c["a2"], c["b1"])
    attend(s2, c["a1"], c["b1"])
    attend(s3, c["a1"], c["a3"])
    attend(s4, c["c1"])
    budget = make_budget(city.city, admin, program=p1, amount="10000.00")
    make_income(budget, admin, "6000.00", "fiscal")
    make_income(budget, admin, "4000.00", "party_dues")
    make_expense(budget, admin, "V-1", "3000.00")
    make_expense(budget, admin, "V-2", "500.50", category="materials")
    return Dataset(p1, c)


# Hand-computed: 甬江市, 2030.
CITY_2030 = {
    "programs": 2,  # P1, P2 (P3 started in 2029, P4 in 2031)
    "projects": 1,  # both are 周末知行学堂
    "sessions": 4,  # S1–S4 (S4 belongs to P3 but is held in 2030)
    "hours": "15.5",  # 4 + 2.5 + 5 + 4 (45-minute 学时, rounded down to halves)
    "person_times": 6,  # P1: 3, P2: 3
    "trainees": 5,  # a1, a2, b1, a3, x
    "attendances": 8,  # 3 + 2 + 2 + 1
    "cadres": 5,  # active: a1 a2 a3 b1 c1
    "coverage": "80.0",  # a1 a2 a3 b1 of 5
    "interactive_share": "50.0",  # S2 case, S3 seminar of 4
}
# (unit, 在职干部, 参训人次, 参训人数, 到课人次, 覆盖率)
CITY_UNITS = [
    ("东江县", 3, 5, 4, 5, "100.0"),
    ("西山区", 1, 1, 1, 2, "100.0"),
    ("市委组织部", 0, 0, 0, 0, None),
    ("甬江市（本级）", 1, 0, 0, 1, "0.0"),
]
COUNTY_A_2030 = {"programs": 1, "sessions": 1, "person_times": 5, "trainees": 4, "attendances": 5}
COUNTY_A_UNITS = [
    ("东湖镇", 2, 3, 2, 4, "100.0"),
    ("南岭乡", 1, 2, 2, 1, "100.0"),
]
