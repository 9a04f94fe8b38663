"""A trainee scans the projected code on a phone, signs in with the ID number and sees the
confirmation; the organizer's live board on a desktop counts the check-in."""

from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.checkin import codes
from tests.browser.conftest import sign_in
from tests.checkin.factories import make_trainee, session_now
from tests.factories import PASSWORD, make_user
from tests.programs.factories import enroll, make_program, make_venue


def test_phone_scan_then_the_board_counts_it(phone, desktop, live_server, city):
    # given a class running now with two trainees, and its organizer watching the board
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu_board")
    program = make_program(city.county_a, organizer=organizer, name="东江县中青班")
    hall = make_venue(city.county_a, "县委党校报告厅")
    session = session_now(program, main_venue=hall, title="风险防范专题")
    trainee = make_trainee(city.town_a1, "陈红")
    other = make_trainee(city.town_a1, "刘洋")
    enroll(program, [trainee.cadre, other.cadre])
    sign_in(desktop, live_server, organizer.username, PASSWORD)
    desktop.goto(f"{live_server.url}/checkin/sessions/{session.pk}/board/")
    expect(desktop.get_by_test_id("board-checked")).to_have_text("0")
    expect(desktop.get_by_test_id("board-expected")).to_have_text("2")
    # when the trainee scans the code on the projector with her phone
    code = codes.make_code(session.pk, hall.pk)
    phone.goto(f"{live_server.url}/checkin/s/{code}/")
    # she is asked to sign in, does so with her ID number
    phone.get_by_label("用户名或身份证号").fill(trainee.cadre.id_number)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    # then she sees the confirmation with the session and the classroom, on a 360 px screen
    done = phone.get_by_test_id("checkin-done")
    expect(done).to_contain_text("签到成功")
    expect(phone.get_by_test_id("done-session")).to_have_text("风险防范专题")
    expect(phone.get_by_test_id("done-venue")).to_have_text("县委党校报告厅")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    # and the organizer's board counts her within a few seconds, 刘洋 still missing
    expect(desktop.get_by_test_id("board-checked")).to_have_text("1", timeout=15_000)
    expect(desktop.get_by_test_id("missing")).to_contain_text("刘洋")
    expect(desktop.get_by_test_id("missing")).not_to_contain_text("陈红")
