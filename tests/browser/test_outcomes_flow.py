"""An organizer confirms a trainee's graduation; anyone can then check the certificate's code on
the public verification page on a phone, without signing in."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user
from tests.outcomes.factories import attend, make_rule
from tests.programs.factories import at, enroll, make_program, make_session


@pytest.mark.django_db(transaction=True)
def test_organizer_confirms_a_graduate_and_the_public_page_verifies_the_certificate(
    city, desktop, phone, live_server
):
    # given a finished program whose trainee 陈晓明 attended every class
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu")
    program = make_program(
        city.county_a, organizer=organizer, name="周末知行学堂", start=date(2025, 3, 1)
    )
    chen = CadreFactory(unit=city.town_a1, name="陈晓明")
    enroll(program, [chen])
    attend(make_session(program, at(date(2025, 3, 8), 9)), chen)
    make_rule(program, min_attendance=Decimal("0.8"))
    # when the organizer ticks the ready trainees and confirms their graduation
    sign_in(desktop, live_server, organizer.username, PASSWORD)
    desktop.goto(f"{live_server.url}/outcomes/programs/{program.pk}/graduation/")
    desktop.get_by_role("button", name="勾选全部达标学员").click()
    desktop.get_by_test_id("confirm-graduates").click()
    expect(desktop.get_by_test_id("graduated-count")).to_have_text("1")
    desktop.get_by_test_id("certificate-link").click()
    code = desktop.get_by_test_id("certificate-code").inner_text()
    # then anyone checking the code on a phone sees a valid certificate with the name masked
    phone.goto(f"{live_server.url}/verify/")
    phone.get_by_label("证书验证码").fill(code.lower())
    phone.get_by_role("button", name="查验").click()
    expect(phone.get_by_test_id("verify-result")).to_contain_text("证书真实有效")
    expect(phone.get_by_test_id("verify-name")).to_have_text("陈*明")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
