"""The hall's screen: the full-screen projector draws the code over most of the screen's shorter
side at the usual projector resolutions, refreshes it without reloading, and counts live."""

import pytest
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.checkin import codes, services
from tests.browser.conftest import sign_in
from tests.checkin.factories import make_trainee, session_now
from tests.factories import PASSWORD, make_user
from tests.programs.factories import enroll, make_program, make_venue

MEASURE = """() => {
  const svg = document.querySelector('[data-testid="qr"] svg');
  const r = svg.getBoundingClientRect();
  const modules = svg.viewBox.baseVal.width;
  return {width: r.width, height: r.height, top: r.top, left: r.left, bottom: r.bottom,
          right: r.right, modules, vw: innerWidth, vh: innerHeight,
          scrollH: document.documentElement.scrollHeight,
          navs: document.querySelectorAll('nav').length};
}"""


@pytest.fixture
def hall_class(city):
    organizer = make_user(city.county_a, Role.ORGANIZER, username="jiaowu_projector")
    program = make_program(city.county_a, organizer=organizer, name="东江县中青班")
    hall = make_venue(city.county_a, "县委党校第二报告厅", capacity=150)
    session = session_now(program, main_venue=hall, title="开班式暨第一讲")
    trainees = [make_trainee(city.town_a1, f"学员{i}") for i in range(3)]
    enroll(program, [t.cadre for t in trainees])
    return organizer, session, hall, trainees


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_full_screen_code_fills_the_shorter_side(browser, live_server, hall_class, size):
    organizer, session, _hall, _ = hall_class
    width, height = size
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        sign_in(page, live_server, organizer.username, PASSWORD)
        # given the organizer on the projector page, when she switches to full screen
        page.goto(f"{live_server.url}/checkin/sessions/{session.pk}/projector/")
        page.get_by_test_id("full-screen-link").click()
        page.wait_for_url("**/projector/full/**")
        m = page.evaluate(MEASURE)
        # then the code is a square over most of the shorter side, wholly on screen
        shorter = min(width, height)
        assert m["width"] >= 0.85 * shorter, m
        assert abs(m["width"] - m["height"]) < 2
        assert m["top"] >= 0 and m["left"] >= 0 and m["bottom"] <= height and m["right"] <= width
        assert m["scrollH"] <= height  # nothing to scroll, no navigation bar
        assert m["navs"] == 0
        # and each module is big enough to read from the back of the hall (≥ 15 px)
        assert m["width"] / m["modules"] >= 15, m
        # with the course, the room and the count beside it
        expect(page.get_by_test_id("full-course")).to_have_text("开班式暨第一讲")
        expect(page.get_by_test_id("full-room")).to_have_text("县委党校第二报告厅")
        expect(page.get_by_test_id("count-expected")).to_have_text("3")
    finally:
        context.close()


def test_the_plain_projector_page_scales_its_code_too(desktop, live_server, hall_class):
    organizer, session, _hall, _ = hall_class
    sign_in(desktop, live_server, organizer.username, PASSWORD)
    desktop.goto(f"{live_server.url}/checkin/sessions/{session.pk}/projector/")
    m = desktop.evaluate(MEASURE)
    assert m["width"] >= 400, m  # it was drawn at 41 × 41 px


def test_the_code_and_count_refresh_without_a_reload(browser, live_server, hall_class, monkeypatch):
    organizer, session, hall, trainees = hall_class
    monkeypatch.setattr(codes, "SLOT_SECONDS", 3)  # the code turns over every 3 s here
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        sign_in(page, live_server, organizer.username, PASSWORD)
        page.goto(f"{live_server.url}/checkin/sessions/{session.pk}/projector/full/")
        page.evaluate("window.gxSameLoad = true")
        first = page.get_by_test_id("qr").get_attribute("data-scan-url")
        expect(page.get_by_test_id("count-checked")).to_have_text("0")
        # when the code turns over and a trainee scans meanwhile
        expect(page.get_by_test_id("qr")).not_to_have_attribute(
            "data-scan-url", first, timeout=15_000
        )
        scanned = codes.read_code(codes.make_code(session.pk, hall.pk))
        services.attendance_scan(actor=trainees[0], scan=scanned)
        # then the new code and the count arrive in the same page load
        expect(page.get_by_test_id("count-checked")).to_have_text("1", timeout=15_000)
        assert page.evaluate("window.gxSameLoad") is True
    finally:
        context.close()
