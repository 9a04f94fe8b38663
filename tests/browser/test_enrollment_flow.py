"""A trainee on a 360 px phone opens the 自主选学 menu, picks a session and sees the seat."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user
from tests.programs.factories import make_program, make_session


@pytest.mark.django_db(transaction=True)
def test_trainee_picks_a_self_selectable_session_on_a_phone(city, phone, live_server):
    # given a county program with a self-selectable workshop of 30 seats, and a trainee
    organizer = make_user(city.county_a, Role.ORGANIZER)
    program = make_program(city.county_a, organizer=organizer, start=date.today())
    start = timezone.now() + timedelta(days=3)
    make_session(
        program,
        start,
        start + timedelta(hours=2),
        title="数字政府建设工作坊",
        form="workshop",
        self_selectable=True,
        capacity=30,
    )
    cadre = CadreFactory(unit=city.town_a1, name="周选学")
    make_user(city.town_a1, Role.TRAINEE, username="picker", cadre=cadre)
    # when the trainee signs in on the phone and opens 自主选学 from the menu
    sign_in(phone, live_server, "picker", PASSWORD)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="自主选学").click()
    item = phone.get_by_test_id("menu-item").filter(has_text="数字政府建设工作坊")
    expect(item).to_contain_text("剩余 30/30")
    # and picks the workshop
    item.get_by_role("button", name="选这门课").click()
    # then 我的选课 shows the seat as taken, with no horizontal scrolling
    expect(phone.get_by_test_id("my-seat-row").first).to_contain_text("已选上")
    expect(phone.get_by_test_id("my-seat-row").first).to_contain_text("数字政府建设工作坊")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # and back on the menu one seat fewer is left
    phone.goto(f"{live_server.url}/enrollment/menu/")
    expect(phone.get_by_test_id("menu-item").first).to_contain_text("剩余 29/30")
