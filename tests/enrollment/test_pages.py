"""The pages and the API: organizer, contact and trainee flows over HTTP, refusals with codes."""

import re

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import Notice
from ganxun.core.scoping import unscoped
from ganxun.enrollment.models import Nomination, Quota, Seat
from tests.enrollment.factories import make_quota, make_selectable, trainee_account
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_organizer_sets_a_quota_on_the_program_page(setup, city, login):
    client = login(setup.organizer)
    # the program page links to quotas
    detail = client.get(f"/programs/{setup.program.pk}/").content.decode()
    assert f"/enrollment/programs/{setup.program.pk}/quotas/" in detail
    response = client.post(
        f"/enrollment/programs/{setup.program.pk}/quotas/",
        {"org": city.town_a1.pk, "kind": "quota", "batch": "", "seats": 3, "note": ""},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "东湖镇" in page and "3 个席位" in page


def test_bad_quota_input_is_shown_on_the_form(setup, city, login):
    client = login(setup.organizer)
    response = client.post(
        f"/enrollment/programs/{setup.program.pk}/quotas/",
        {"org": city.town_a1.pk, "kind": "quota", "batch": "9", "seats": -1},
    )
    assert response.status_code == 200
    with unscoped():
        assert not Quota.objects.exists()


def test_contact_nominates_and_organizer_confirms_over_http(setup, city, cadres, login, client):
    quota = make_quota(setup.program, city.town_a1, seats=1)
    # the contact sees the quota and nominates 张三
    client.force_login(setup.contact)
    assert "周末知行学堂" in client.get("/enrollment/quotas/").content.decode()
    client.post(f"/enrollment/quotas/{quota.pk}/nominate/", {"cadre": cadres["inside"].pk})
    # a second nominee on the full quota is refused with the message on the page
    response = client.post(
        f"/enrollment/quotas/{quota.pk}/nominate/",
        {"cadre": cadres["inside_village"].pk},
        follow=True,
    )
    assert "名额已满" in response.content.decode()
    # the organizer confirms the pending nominee
    client.force_login(setup.organizer)
    listing = client.get(f"/enrollment/programs/{setup.program.pk}/nominations/")
    assert "张三" in listing.content.decode()
    with unscoped():
        nomination = Nomination.objects.get()
    url = f"/enrollment/programs/{setup.program.pk}/nominations/?status=pending"
    preview = client.post(url, {"nomination": [nomination.pk]}).content.decode()
    fingerprint = re.search(r'name="bulk_fingerprint" value="(\w+)"', preview).group(1)
    client.post(
        url,
        {"nomination": [nomination.pk], "bulk_confirm": "1", "bulk_fingerprint": fingerprint},
    )
    nomination.refresh_from_db()
    assert nomination.status == "confirmed"


def test_trainee_picks_from_the_menu_and_reads_the_inbox(setup, city, client):
    session = make_selectable(setup.program, capacity=1, title="数字化改革工作坊")
    user = trainee_account(city.town_a1)
    client.force_login(user)
    menu = client.get("/enrollment/menu/").content.decode()
    assert "数字化改革工作坊" in menu and "剩余" in menu
    client.post(f"/enrollment/sessions/{session.pk}/pick/")
    mine = client.get("/enrollment/seats/").content.decode()
    assert "已选上" in mine
    # a notice arrives; the home panel counts it and the inbox marks it read
    Notice.objects.create(user=user, kind="x", title="调训通知：测试")
    assert "未读消息" in client.get("/").content.decode()
    inbox = client.get("/enrollment/inbox/").content.decode()
    assert "调训通知：测试" in inbox
    client.post("/enrollment/inbox/read-all/")
    assert not Notice.objects.filter(user=user, read_at__isnull=True).exists()


def test_menu_filters_by_teaching_form(setup, city, client):
    make_selectable(setup.program, title="案例课", form="case", hours_ahead=30)
    make_selectable(setup.program, title="讲座课", form="lecture", hours_ahead=60)
    client.force_login(trainee_account(city.town_a1))
    page = client.get("/enrollment/menu/", {"form": "case"}).content.decode()
    assert "案例课" in page and "讲座课" not in page


def test_trainee_of_another_county_does_not_see_the_menu_item(setup, city, client):
    session = make_selectable(setup.program, title="东江专属课")
    client.force_login(trainee_account(city.town_b1))
    assert "东江专属课" not in client.get("/enrollment/menu/").content.decode()
    assert client.post(f"/enrollment/sessions/{session.pk}/pick/").status_code == 404


def test_api_refusals_carry_stable_codes(setup, city, cadres, client):
    # given a full quota and a contact signed in (the API takes the session or a token)
    quota = make_quota(setup.program, city.town_a1, seats=0)
    client.force_login(make_user(city.town_a1, Role.UNIT_CONTACT))
    response = client.post(
        f"/api/enrollment/quotas/{quota.pk}/nominations",
        {"cadre_id": cadres["inside"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "quota_full"
    # a cadre of another county is not found in the contact's roster
    response = client.post(
        f"/api/enrollment/quotas/{quota.pk}/nominations",
        {"cadre_id": cadres["other_county"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    with unscoped():
        assert not Nomination.objects.exists()


def test_api_pick_and_waitlist(setup, city, client):
    session = make_selectable(setup.program, capacity=1)
    statuses = []
    for _ in range(2):
        user = trainee_account(city.town_a1)
        client.force_login(user)
        response = client.post(f"/api/enrollment/sessions/{session.pk}/pick")
        assert response.status_code == 201
        statuses.append(response.json()["status"])
    assert statuses == ["enrolled", "waitlisted"]
    with unscoped():
        assert Seat.objects.filter(status="enrolled").count() == 1


def test_api_leave_after_the_session_started_is_refused(setup, city, client):
    # given a trainee of the program and a session that started an hour ago
    from datetime import timedelta

    from django.utils import timezone

    from ganxun.enrollment.models import LeaveRequest
    from tests.programs.factories import enroll, make_session

    user = trainee_account(city.town_a1)
    enroll(setup.program, [user.cadre])
    start = timezone.now() - timedelta(hours=1)
    session = make_session(setup.program, start, start + timedelta(hours=3))
    client.force_login(user)
    # when the trainee asks leave through the API
    response = client.post(
        f"/api/enrollment/sessions/{session.pk}/leave",
        {"reason": "临时有事"},
        content_type="application/json",
    )
    # then it is refused with a stable code and a clear message, nothing written
    assert response.status_code == 400
    assert response.json()["code"] == "session_started"
    assert "开始" in response.json()["message"]
    with unscoped():
        assert not LeaveRequest.objects.exists()


def test_every_enrollment_page_renders_for_its_role(setup, city, cadres, client):
    # given a quota with a nominee, an elective with a seat and a pending leave request
    from ganxun.enrollment.services import leave_request, nomination_create, seat_pick
    from tests.programs.factories import enroll, make_session

    quota = make_quota(setup.program, city.town_a1, seats=2)
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    elective = make_selectable(setup.program, capacity=5)
    user = trainee_account(city.town_a1)
    enroll(setup.program, [user.cadre])
    seat_pick(actor=user, session=elective)
    regular = make_session(setup.program, timezone_now_plus(days=3))
    leave_request(actor=user, session=regular, reason="出差")
    pk = setup.program.pk
    pages = {
        setup.organizer: [
            f"/enrollment/programs/{pk}/quotas/",
            f"/enrollment/quotas/{quota.pk}/edit/",
            f"/enrollment/programs/{pk}/nominations/?status=all",
            f"/enrollment/programs/{pk}/selection/",
            f"/enrollment/sessions/{elective.pk}/seats/",
            f"/enrollment/programs/{pk}/leave/",
            "/enrollment/leave/",
            "/",
        ],
        setup.contact: [
            "/enrollment/quotas/",
            f"/enrollment/quotas/{quota.pk}/",
            "/enrollment/leave/",
            "/",
        ],
        user: [
            "/enrollment/menu/",
            "/enrollment/seats/",
            "/enrollment/my-leave/",
            f"/enrollment/sessions/{regular.pk}/leave/",
            "/enrollment/inbox/",
            "/",
        ],
    }
    # then each renders for its role
    for who, urls in pages.items():
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 200, url
    # and the contact's leave inbox shows the request
    client.force_login(setup.contact)
    assert "出差" in client.get("/enrollment/leave/").content.decode()


def timezone_now_plus(**delta):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(**delta)


def test_after_the_first_quota_the_form_stays_open_for_the_next_unit(setup, city, login):
    client = login(setup.organizer)
    url = f"/enrollment/programs/{setup.program.pk}/quotas/"
    # given the organizer gives 东湖镇 three seats
    response = client.post(
        url, {"org": city.town_a1.pk, "kind": "quota", "batch": "", "seats": 3, "note": ""}
    )
    # when the page comes back, the quota form is still open for the next unit
    page = client.get(response["Location"]).content.decode()
    assert "东湖镇" in page
    assert 'data-testid="quota-details" open' in page
    # while a plain visit to a program that has quotas keeps the form folded
    assert 'data-testid="quota-details" open' not in client.get(url).content.decode()
