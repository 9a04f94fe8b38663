"""调训: quotas per unit, nominations within them, confirmation, return and replacement."""

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import Notice
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import Nomination, Quota
from ganxun.enrollment.services import (
    nomination_create,
    nomination_replace,
    nomination_return,
    nomination_withdraw,
    nominations_confirm,
    quota_save,
)
from ganxun.programs.models import ProgramTrainee
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, make_session, make_venue

pytestmark = pytest.mark.django_db


def _code(exc_info) -> str:
    return exc_info.value.code


def test_organizer_gives_a_township_a_quota_and_cannot_go_below_its_nominees(setup, city, cadres):
    # given the county organizer gives 东湖镇 one seat, and the contact fills it
    quota = quota_save(actor=setup.organizer, program=setup.program, org=city.town_a1, seats=1)
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    # when the organizer tries to cut the quota to zero
    with pytest.raises(EnrollmentError) as exc:
        quota_save(
            actor=setup.organizer, program=setup.program, org=city.town_a1, seats=0, quota=quota
        )
    # then it is refused, and the quota keeps its seat
    assert _code(exc) == "seats_below_nominations"
    quota.refresh_from_db()
    assert quota.seats == 1


def test_a_quota_for_a_unit_outside_the_program_org_is_refused(setup, city):
    # given a program of 东江县; when its organizer... cannot even see 西山区
    with pytest.raises(EnrollmentError) as exc:
        quota_save(actor=setup.organizer, program=setup.program, org=city.town_b1, seats=3)
    assert _code(exc) == "not_visible"
    assert not Quota.objects.visible_to(setup.organizer).exists()


def test_a_second_quota_of_the_same_kind_for_the_same_unit_is_refused(setup, city):
    quota_save(actor=setup.organizer, program=setup.program, org=city.town_a1, seats=3)
    with pytest.raises(EnrollmentError) as exc:
        quota_save(actor=setup.organizer, program=setup.program, org=city.town_a1, seats=4)
    assert _code(exc) == "quota_exists"


def test_contact_nominates_within_the_quota_and_the_next_is_refused(setup, city, cadres):
    # given 东湖镇 has one seat
    quota = make_quota(setup.program, city.town_a1, seats=1)
    # when its contact nominates 张三, then 李四
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    with pytest.raises(EnrollmentError) as exc:
        nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside_village"])
    # then the second is refused with a clear message, and only one nomination exists
    assert _code(exc) == "quota_full"
    assert "名额已满" in exc.value.message
    assert Nomination.objects.visible_to(setup.contact).count() == 1


def test_contact_cannot_nominate_a_cadre_of_another_org(setup, city, cadres):
    # given 东湖镇's quota
    quota = make_quota(setup.program, city.town_a1, seats=5)
    # when the contact tries a cadre of 南岭乡 and one of 西山区
    for key in ("other_town", "other_county"):
        with pytest.raises(EnrollmentError) as exc:
            nomination_create(actor=setup.contact, quota=quota, cadre=cadres[key])
        # then both are refused and nothing is written
        assert _code(exc) == "cadre_outside_unit"
    assert not Nomination.objects.visible_to(setup.contact).exists()


def test_contact_of_another_township_cannot_use_the_quota(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=5)
    other = make_user(city.town_a2, Role.UNIT_CONTACT)
    with pytest.raises(PermissionDenied):
        nomination_create(actor=other, quota=quota, cadre=cadres["inside"])


def test_the_same_cadre_cannot_be_nominated_twice(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=5)
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    with pytest.raises(EnrollmentError) as exc:
        nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    assert _code(exc) == "already_nominated"


def test_confirmation_makes_a_trainee_and_sends_the_schedule_and_reading(setup, city, cadres):
    # given a nominee with an account, and a session in the main classroom
    hall = make_venue(city.county_a, "县委党校报告厅")
    setup.program.main_venue = hall
    setup.program.save()
    make_session(setup.program, at(setup.program.start_date, 9), title="开班式", main_venue=hall)
    account = make_user(city.town_a1, Role.TRAINEE, cadre=cadres["inside"])
    quota = make_quota(setup.program, city.town_a1, seats=2, batch=None)
    nomination = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    # when the organizer confirms it
    nominations_confirm(actor=setup.organizer, program=setup.program, nominations=[nomination])
    # then the cadre is on the program's trainee list, by 调训
    trainee = ProgramTrainee.objects.visible_to(setup.organizer).get(cadre=cadres["inside"])
    assert trainee.source == ProgramTrainee.Source.ASSIGNED
    # and their inbox holds the notice with schedule, venue and the reading link
    notice = Notice.objects.get(user=account)
    assert "周末知行学堂" in notice.title
    assert "开班式" in notice.body and "县委党校报告厅" in notice.body and "研读" in notice.body
    assert notice.url == f"/programs/my/{setup.program.pk}/"


def test_ride_along_seats_make_ride_along_trainees(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=1, kind=Quota.Kind.RIDE_ALONG)
    nomination = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    nominations_confirm(actor=setup.organizer, program=setup.program, nominations=[nomination])
    trainee = ProgramTrainee.objects.visible_to(setup.organizer).get(cadre=cadres["inside"])
    assert trainee.source == ProgramTrainee.Source.RIDE_ALONG


def test_returned_nomination_frees_the_seat_and_tells_the_contact(setup, city, cadres):
    # given a full quota of one
    quota = make_quota(setup.program, city.town_a1, seats=1)
    nomination = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    # when the organizer returns it with a reason
    nomination_return(actor=setup.organizer, nomination=nomination, note="职级不符合培训对象")
    # then the contact is told why, and can nominate someone else
    assert Notice.objects.filter(user=setup.contact, kind="nomination_returned").exists()
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside_village"])


def test_return_needs_a_reason(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=1)
    nomination = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    with pytest.raises(EnrollmentError) as exc:
        nomination_return(actor=setup.organizer, nomination=nomination, note="  ")
    assert _code(exc) == "required"


def test_replacing_a_confirmed_nominee_keeps_the_history(setup, city, cadres):
    # given 张三 confirmed on a full quota of one
    quota = make_quota(setup.program, city.town_a1, seats=1)
    first = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    nominations_confirm(actor=setup.organizer, program=setup.program, nominations=[first])
    # when the contact replaces him with 李四
    second = nomination_replace(
        actor=setup.contact, nomination=first, cadre=cadres["inside_village"]
    )
    # then 张三's row stays, marked replaced, and 李四's points back to it, waiting
    first.refresh_from_db()
    assert first.status == Nomination.Status.REPLACED
    assert second.replaces_id == first.pk and second.status == Nomination.Status.PENDING
    # and 张三 has left the trainee list
    names = set(
        ProgramTrainee.objects.visible_to(setup.organizer).values_list("cadre__name", flat=True)
    )
    assert names == set()


def test_withdraw_only_pending(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=2)
    nomination = nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    nomination_withdraw(actor=setup.contact, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    with pytest.raises(EnrollmentError):
        nomination_withdraw(actor=setup.contact, nomination=nomination)


def test_eligibility_shows_rank_and_warns_outside_target_groups(setup, city, login):
    # given a program for 乡科级及以下 and a county-level cadre in 东湖镇
    CadreFactory(unit=city.town_a1, name="钱局长", rank="county_deputy")
    CadreFactory(unit=city.town_a1, name="孙科员", rank="general")
    quota = make_quota(setup.program, city.town_a1, seats=2)
    # when the contact opens the quota page
    page = login(setup.contact).get(f"/enrollment/quotas/{quota.pk}/").content.decode()
    # then both ranks show, and only the county-level cadre is flagged
    assert "县处级副职" in page and "一般干部" in page
    assert page.count("不在培训对象范围内") == 1
