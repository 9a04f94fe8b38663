"""Trainees booked in two programs at once: warned when nominations are confirmed and when
sessions are scheduled, and shown on the trainee's 课表 — all by one rule."""

import re
from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.enrollment.models import Nomination
from ganxun.programs import conflicts, services
from ganxun.programs.services import ConflictError, SessionData
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session

SAT = date(2030, 3, 9)


def confirm_over_http(client, program, nomination) -> str:
    """Tick the nominee, confirm the preview (core.bulk); the page after the confirmation."""
    url = f"/enrollment/programs/{program.pk}/nominations/?status=pending"
    preview = client.post(url, {"nomination": [nomination.pk]}).content.decode()
    fingerprint = re.search(r'name="bulk_fingerprint" value="(\w+)"', preview).group(1)
    data = {"nomination": [nomination.pk], "bulk_confirm": "1", "bulk_fingerprint": fingerprint}
    return client.post(url, data, follow=True).content.decode()


@pytest.fixture
def two_programs(setup, city):
    """周末知行学堂 (setup) and 年轻干部班 both teach on Saturday morning; 王小明 is already a
    trainee of 年轻干部班."""
    wang = CadreFactory(unit=city.town_a1, name="王小明")
    young = make_program(city.county_a, organizer=setup.organizer, name="年轻干部班")
    enroll(young, [wang])
    theirs = make_session(young, at(SAT, 8), at(SAT, 10), title="年轻干部班开班式")
    ours = make_session(
        setup.program, at(SAT, 9), at(SAT, 11, 30), title="风险防范与应急处置", unit=setup.march
    )
    make_session(setup.program, at(SAT, 14), at(SAT, 16), title="下午的课", unit=setup.march)
    return wang, young, theirs, ours


@pytest.mark.django_db
def test_confirming_a_nomination_warns_about_the_trainee_booked_twice(
    client, setup, city, two_programs
):
    wang, _young, _theirs, _ours = two_programs
    quota = make_quota(setup.program, city.town_a1, seats=2)
    nomination = Nomination.objects.create(
        quota=quota, program=setup.program, cadre=wang, nominated_by=setup.organizer
    )
    # when the organizer confirms 王小明 into 周末知行学堂
    client.force_login(setup.organizer)
    page = confirm_over_http(client, setup.program, nomination)
    # then the confirmation goes through, and the page says who is booked twice, and where
    nomination.refresh_from_db()
    assert nomination.status == "confirmed"
    assert "同一时间另有课" in page
    assert "王小明" in page and "年轻干部班开班式" in page and "风险防范与应急处置" in page
    assert "下午的课" not in page


@pytest.mark.django_db
def test_scheduling_over_another_programs_session_warns_by_the_same_rule(setup, city, two_programs):
    wang, young, _theirs, _ours = two_programs
    enroll(setup.program, [wang])
    # the rule itself: one pair, naming both sessions
    found = conflicts.trainee_double_bookings(cadre_ids=[wang.pk])
    assert [(b.first.title, b.second.title) for b in found] == [
        ("年轻干部班开班式", "风险防范与应急处置")
    ]
    # when another session of 年轻干部班 is scheduled over our afternoon class
    with pytest.raises(ConflictError) as caught:
        services.session_save(
            actor=setup.organizer,
            program=young,
            data=SessionData(
                starts_at=at(SAT, 15), ends_at=at(SAT, 17), title="分组研讨", lecturers=[setup.li]
            ),
        )
    # then it is a warning naming the trainee
    assert {c.kind for c in caught.value.conflicts} == {"trainee_busy"}
    assert "王小明" in caught.value.conflicts[0].message
    assert not caught.value.blocking


@pytest.mark.django_db
def test_the_trainees_schedule_marks_each_clashing_session(client, setup, city, two_programs):
    wang, _young, _theirs, _ours = two_programs
    enroll(setup.program, [wang])
    user = make_user(city.town_a1, Role.TRAINEE, cadre=wang)
    client.force_login(user)
    page = client.get("/programs/my/").content.decode()
    # both morning sessions are marked, each naming the other; the afternoon one is not
    assert page.count('data-testid="double-booked"') == 2
    assert "同一时间还有：年轻干部班·年轻干部班开班式" in page
    assert "同一时间还有：周末知行学堂·风险防范与应急处置" in page


@pytest.mark.django_db
def test_the_warning_does_not_name_another_countys_program(client, setup, city):
    wang = CadreFactory(unit=city.town_a1, name="王小明")
    west = make_program(city.county_b, name="西山区干部班")
    enroll(west, [wang])
    make_session(west, at(SAT, 8), at(SAT, 10), title="西山的课")
    make_session(setup.program, at(SAT, 9), at(SAT, 11), title="风险防范与应急处置")
    quota = make_quota(setup.program, city.town_a1, seats=1)
    nomination = Nomination.objects.create(
        quota=quota, program=setup.program, cadre=wang, nominated_by=setup.organizer
    )
    client.force_login(setup.organizer)
    page = confirm_over_http(client, setup.program, nomination)
    assert "王小明" in page and "其他单位组织的课次" in page
    assert "西山区干部班" not in page and "西山的课" not in page
