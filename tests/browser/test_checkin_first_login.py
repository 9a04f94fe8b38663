"""A brand-new trainee's first class: scan while signed out → sign in → forced password change
(→ two-factor enrolment where the role requires it) → lands checked in, told so, on a phone."""

from playwright.sync_api import expect

from ganxun.accounts import totp
from ganxun.checkin import codes
from ganxun.checkin.models import Attendance
from tests.checkin.factories import make_trainee, session_now
from tests.factories import PASSWORD
from tests.programs.factories import enroll, make_program, make_venue

NEW_PASSWORD = "Xin@Mima2026"


def new_trainee_in_class(city):
    program = make_program(city.county_a, name="周末知行学堂")
    hall = make_venue(city.county_a, "第二报告厅")
    session = session_now(program, main_venue=hall, title="开班式")
    trainee = make_trainee(city.town_a1, "孙新达")
    trainee.must_change_password = True  # as bulk account creation leaves it
    trainee.save(update_fields=["must_change_password"])
    enroll(program, [trainee.cadre])
    return session, hall, trainee


def scan_sign_in_and_change_password(phone, live_server, session, hall, trainee):
    code = codes.make_code(session.pk, hall.pk)
    phone.goto(f"{live_server.url}/checkin/s/{code}/")
    phone.get_by_label("用户名或身份证号").fill(trainee.cadre.id_number)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/accounts/password/")
    phone.locator("#id_old_password").fill(PASSWORD)
    phone.locator("#id_new_password").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="保存新密码").click()


def expect_checked_in(phone, trainee):
    expect(phone.get_by_test_id("checkin-done")).to_contain_text("签到成功")
    expect(phone.get_by_test_id("done-session")).to_have_text("开班式")
    expect(phone.get_by_test_id("done-venue")).to_have_text("第二报告厅")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert Attendance._base_manager.filter(cadre=trainee.cadre).count() == 1


def test_a_new_trainee_lands_checked_in_after_the_forced_password_change(phone, live_server, city):
    session, hall, trainee = new_trainee_in_class(city)
    scan_sign_in_and_change_password(phone, live_server, session, hall, trainee)
    expect_checked_in(phone, trainee)


def test_two_factor_enrolment_on_the_way_still_ends_checked_in(phone, live_server, city, settings):
    # given a deployment where trainees too must use two-factor login
    settings.GANXUN_2FA_REQUIRED_ROLES = ["trainee"]
    session, hall, trainee = new_trainee_in_class(city)
    scan_sign_in_and_change_password(phone, live_server, session, hall, trainee)
    # when she binds her authenticator and keeps her recovery codes
    phone.wait_for_url("**/accounts/2fa/")
    secret = phone.get_by_test_id("two-factor-secret").inner_text().replace(" ", "")
    phone.get_by_label("验证码").fill(totp.totp(secret))
    phone.get_by_role("button", name="绑定").click()
    expect(phone.get_by_test_id("recovery-codes")).to_be_visible()
    assert not Attendance._base_manager.filter(cadre=trainee.cadre).exists()
    phone.get_by_role("link", name="我已保存，进入首页").click()
    # then she lands on the confirmation, checked in
    expect_checked_in(phone, trainee)
