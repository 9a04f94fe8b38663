"""A trainee on a 360 px phone takes an online course: enrols, plays a short video (made by
ffmpeg in the test) to the end, and sees the lesson's 学时 on "my online hours"."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.credits.models import Channel, CreditEntry
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user
from tests.learning.factories import make_course


@pytest.mark.django_db(transaction=True)
def test_a_trainee_watches_a_lesson_to_the_end_and_sees_the_hours(
    city, phone, live_server, settings, tmp_path
):
    # given a published course of one 4-second lesson worth 1 学时, shared by the city
    settings.MEDIA_ROOT = tmp_path / "media"
    organizer = make_user(city.city, Role.ORGANIZER, username="org_city")
    course, lesson = make_course(organizer, seconds=4, hours=Decimal("1"))
    cadre = CadreFactory(unit=city.town_a1, name="李学员")
    make_user(city.town_a1, Role.TRAINEE, username="learner", cadre=cadre)
    # when the trainee signs in on a phone, opens 在线学习 and enrols
    sign_in(phone, live_server, "learner", PASSWORD)
    phone.goto(f"{live_server.url}/learning/")
    phone.get_by_role("link", name=course.title).click()
    phone.get_by_test_id("enroll").click()
    phone.get_by_test_id("lesson-link").click()
    # and plays the lesson to the end
    phone.get_by_test_id("play").click()
    done = phone.get_by_test_id("lesson-done")
    expect(done).to_be_visible(timeout=20_000)
    expect(done).to_contain_text("1")
    expect(phone.get_by_test_id("percent")).to_have_text("100")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # then "my online hours" shows the 学时, from the ledger's online channel
    phone.get_by_test_id("my-hours-link").click()
    expect(phone.get_by_test_id("online-hours")).to_have_text("1")
    expect(phone.get_by_test_id("online-entries")).to_contain_text(lesson.title)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    with unscoped():
        [entry] = CreditEntry.objects.filter(cadre=cadre)
    assert (entry.hours, entry.channel) == (Decimal("1"), Channel.ONLINE)
