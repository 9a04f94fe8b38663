"""Duty coverage across all trainings: 东湖镇's party secretary is at the county's class and
its town head at the city's class on the same day — nobody leads the town that day, although
each program alone keeps its leaders apart. Warned when nominating and confirming, and listed
on the organization department's page."""

from datetime import date

import pytest
from django.urls import reverse

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.enrollment.coverage import duty_coverage, enrolment_warnings
from ganxun.enrollment.expected import expected_cadre_ids, expected_pairs
from ganxun.enrollment.models import LeaveRequest, Nomination
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program, ProgramTrainee, Session
from ganxun.programs.participation import participation
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session

pytestmark = pytest.mark.django_db

DAY = date(2030, 3, 16)  # a Saturday: 周末知行学堂 and the city's class both teach
MARCH = (date(2030, 3, 1), date(2030, 3, 31))
L = Cadre.LeaderRole


@pytest.fixture
def town(city):
    """东湖镇: 党委书记 陈建国, 镇长 王立新, a 副镇长 and two staff."""
    return {
        "secretary": CadreFactory(unit=city.town_a1, name="陈建国", leader_role=L.SECRETARY),
        "head": CadreFactory(unit=city.town_a1, name="王立新", leader_role=L.HEAD),
        "deputy": CadreFactory(unit=city.town_a1, name="李红梅", leader_role=L.DEPUTY),
        "staff": [CadreFactory(unit=city.town_a1, name=f"镇干部{i}") for i in range(2)],
    }


@pytest.fixture
def two_programs(city, admin):
    county_org = make_user(city.county_a, Role.ORGANIZER, username="dj_zzb")
    county = make_program(
        city.county_a,
        organizer=county_org,
        name="乡镇党政正职履职能力提升班",
        start=date(2030, 3, 1),
        end=date(2030, 4, 30),
        batch_count=2,
    )
    citywide = make_program(
        city.city,
        organizer=admin,
        name="全市应急管理能力提升班",
        start=date(2030, 3, 10),
        end=date(2030, 3, 20),
    )
    # county batch 1 on Saturday morning, the city's class on Saturday afternoon
    county_s = make_session(county, at(DAY, 9), at(DAY, 12), title="基层治理", batch=1)
    make_session(county, at(date(2030, 3, 23), 9), at(date(2030, 3, 23), 12), batch=2)
    city_s = make_session(citywide, at(DAY, 14), at(DAY, 17), title="应急处置实务")
    return {
        "county": county,
        "city": citywide,
        "county_s": county_s,
        "city_s": city_s,
        "county_org": county_org,
    }


def _gaps(actor, org):
    with unscoped():
        return duty_coverage(actor=actor, org=org, start=MARCH[0], end=MARCH[1]).gaps


def test_secretary_and_head_away_at_two_programs_on_one_day_is_a_gap(
    city, admin, town, two_programs
):
    # given the secretary in the county's batch 1 and the head in the city's class
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    enroll(two_programs["county"], [town["head"]], batch=2)  # apart inside the county program
    enroll(two_programs["city"], [town["head"]])
    # when the county's coverage for March is computed
    gaps = _gaps(two_programs["county_org"], city.county_a)
    # then 16 March shows 东湖镇 with both leaders away, naming both programs
    assert [(g.unit_name, g.day, g.leaders) for g in gaps] == [("东湖镇", DAY, True)]
    gap = gaps[0]
    assert gap.leaders_away == sorted(["陈建国", "王立新"])
    assert sorted(gap.programs) == sorted(
        [two_programs["county"].full_name, two_programs["city"].full_name]
    )
    # 2 of 5 away: 60% on duty, above the 40% share
    assert (gap.away, gap.headcount, gap.below_share) == (2, 5, False)


def test_no_gap_when_one_of_them_has_approved_leave_or_a_deputy_is_the_one_away(
    city, admin, town, two_programs
):
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    enroll(two_programs["city"], [town["head"]])
    LeaveRequest.objects.create(
        session=two_programs["city_s"],
        cadre=town["head"],
        reason="防汛值班",
        status=LeaveRequest.Status.APPROVED,
    )
    assert _gaps(admin, city.county_a) == []
    # a deputy is not a duty leader: the head stays, the town is led
    enroll(two_programs["city"], [town["deputy"]])
    assert _gaps(admin, city.county_a) == []


def test_other_batches_and_other_days_are_not_gaps(city, admin, town, two_programs):
    # the secretary is in batch 2 (23 March), the head at the city's class on 16 March
    enroll(two_programs["county"], [town["secretary"]], batch=2)
    enroll(two_programs["city"], [town["head"]])
    assert _gaps(admin, city.county_a) == []


def test_below_the_on_duty_share_across_programs(city, admin, two_programs):
    # 南岭乡: three cadres, no leaders registered; two away the same day in two programs
    people = [CadreFactory(unit=city.town_a2, name=n) for n in ("赵一", "钱二", "孙三")]
    enroll(two_programs["county"], people[:1], batch=1)
    enroll(two_programs["city"], people[1:2])
    with unscoped():
        found = duty_coverage(actor=admin, org=city.county_a, start=MARCH[0], end=MARCH[1])
    gap = next(g for g in found.gaps if g.unit_name == "南岭乡")
    # one of three at work: 33% < 40%
    assert (gap.leaders, gap.below_share, gap.away, gap.headcount) == (False, True, 2, 3)
    assert "南岭乡" in found.units_without_leaders


def test_nominating_the_head_warns_before_anything_is_confirmed(city, admin, town, two_programs):
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    city_program = two_programs["city"]
    nominee = ProgramTrainee(program_id=city_program.pk, cadre_id=town["head"].pk, batch=None)
    with unscoped():
        lines = enrolment_warnings(
            actor=admin, program=city_program, cadre_ids=[town["head"].pk], extra=[nominee]
        )
    assert len(lines) == 1 and "东湖镇" in lines[0] and "陈建国" in lines[0]
    assert "2030-03-16" in lines[0]


def test_the_contact_sees_the_warning_when_nominating(
    client, city, admin, town, town_contact, two_programs
):
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    quota = make_quota(two_programs["city"], city.town_a1, seats=3)
    client.force_login(town_contact)
    page = client.post(
        reverse("enrollment:nominate", args=[quota.pk]), {"cadre": town["head"].pk}, follow=True
    )
    body = page.content.decode()
    assert "无人在岗" in body and "东湖镇" in body


def test_the_coverage_page_shows_the_day_per_county(client, city, admin, town, two_programs):
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    enroll(two_programs["city"], [town["head"]])
    client.force_login(two_programs["county_org"])
    page = client.get(reverse("enrollment:coverage"), {"org": city.county_a.pk, "month": "2030-03"})
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="gap-day"') == 1
    assert "东湖镇" in body and "陈建国" in body and "全市应急管理能力提升班" in body
    # another county's organizer cannot ask about 东江县
    client.force_login(make_user(city.county_b, Role.ORGANIZER))
    other = client.get(reverse("enrollment:coverage"), {"org": city.county_a.pk})
    assert other.status_code == 404


def test_expected_pairs_agree_with_the_one_definition(city, town, two_programs):
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    enroll(two_programs["county"], [town["head"]], batch=2)
    enroll(two_programs["city"], town["staff"])
    with unscoped():
        sessions = Session.objects.filter(program__in=Program.objects.all())
        cadres = Cadre.objects.filter(unit=city.town_a1).values("pk")
        pairs = expected_pairs(cadres, sessions)
        one_by_one = {
            (c, s.pk)
            for s in sessions
            for c in expected_cadre_ids(s)
            if c in {x["pk"] for x in cadres}
        }
    assert pairs == one_by_one and len(pairs) == 4


def test_programs_warn_through_the_participation_seam_when_trainees_are_added(
    city, admin, town, two_programs
):
    # the city's organizer adds the head after the county already took the secretary
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    enroll(two_programs["city"], [town["head"]])
    with unscoped():
        lines = participation().duty_lines(
            actor=admin, program=two_programs["city"], cadre_ids=[town["head"].pk]
        )
    assert len(lines) == 1 and "王立新" in lines[0]


def test_the_confirmation_preview_warns_before_the_head_is_confirmed(
    client, city, admin, town, two_programs
):
    # the county already took the secretary; 东湖镇's contact nominated the head for the city
    enroll(two_programs["county"], [town["secretary"]], batch=1)
    city_program = two_programs["city"]
    quota = make_quota(city_program, city.town_a1, seats=2)
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    nomination = Nomination.objects.create(
        quota=quota, program=city_program, cadre=town["head"], nominated_by=contact
    )
    client.force_login(admin)
    url = f"/enrollment/programs/{city_program.pk}/nominations/?status=pending"
    page = client.post(url, {"nomination": [nomination.pk]}).content.decode()
    # then the preview names the day and the town before anything is written
    assert 'data-testid="bulk-preview"' in page
    assert "2030-03-16 东湖镇" in page and "无人在岗主持工作" in page
    with unscoped():
        assert not ProgramTrainee.objects.filter(program=city_program).exists()
