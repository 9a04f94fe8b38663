"""The trainee's 课表 on a 360 px phone names the room of each session she attends."""

from datetime import timedelta

from playwright.sync_api import expect

from ganxun.programs.models import ProgramTrainee, Venue
from tests.browser.conftest import sign_in
from tests.checkin.factories import make_trainee, session_now
from tests.factories import PASSWORD
from tests.programs.factories import enroll, make_program, make_session, make_venue


def test_the_timetable_shows_each_sessions_room(phone, live_server, city):
    # given 徐永凤 of 东湖镇, assigned to 东湖镇's video room; the opening in the hall only,
    # the next class in the hall with 东湖镇's video room
    program = make_program(city.county_a, name="周末知行学堂")
    hall = make_venue(city.county_a, "第二报告厅")
    video = Venue.Kind.VIDEO
    east = make_venue(city.county_a, "东湖镇视频分课堂", kind=video, serves=city.town_a1)
    other = make_venue(city.county_a, "南岭乡视频分课堂", kind=video, serves=city.town_a2)
    opening = session_now(program, main_venue=hall, sub_venues=[other], title="开班式")
    make_session(
        program,
        opening.starts_at + timedelta(days=1),
        main_venue=hall,
        sub_venues=[east, other],
        title="基层治理专题",
    )
    trainee = make_trainee(city.town_a1, "徐永凤")
    enroll(program, [trainee.cadre])
    ProgramTrainee._base_manager.filter(cadre=trainee.cadre).update(venue=east)
    # when she opens 我的课表 on her phone
    sign_in(phone, live_server, trainee.cadre.id_number, PASSWORD)
    phone.goto(f"{live_server.url}/programs/my/")
    rooms = phone.get_by_test_id("my-room")
    # then each class names the room she goes to
    expect(rooms).to_have_count(2)
    expect(rooms.nth(0)).to_have_text("上课教室：第二报告厅")
    expect(rooms.nth(1)).to_have_text("上课教室：东湖镇视频分课堂（视频分课堂）")
    assert rooms.nth(0).is_visible() and rooms.nth(1).bounding_box()["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
