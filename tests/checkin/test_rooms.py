"""Rooms agree with sessions: the classroom assignment decides each trainee's room where the
session uses it (the board's and the projector's 应到, the trainee's 课表), a check-in at a
sub-classroom serving another area is flagged, and assigning trainees to a sub-classroom their
sessions do not use warns."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.checkin import codes, selectors, services
from ganxun.programs import services as programs_services
from ganxun.programs.models import ProgramTrainee, Venue
from tests.checkin.factories import make_trainee
from tests.programs.factories import make_session, make_venue

pytestmark = pytest.mark.django_db


def assign(program, cadre, venue):
    ProgramTrainee._base_manager.filter(program=program, cadre=cadre).update(venue=venue)


def scan_at(user, session, venue):
    return services.attendance_scan(
        actor=user, scan=codes.read_code(codes.make_code(session.pk, venue.pk))
    )


@pytest.fixture
def south_room(city, klass):
    """南岭乡's video sub-classroom, used by the class running now."""
    room = make_venue(city.county_a, "南岭乡视频分课堂", kind=Venue.Kind.VIDEO, serves=city.town_a2)
    klass.session.sub_venues.through.objects.create(session=klass.session, venue=room)
    return room


def test_a_check_in_at_another_areas_sub_classroom_is_flagged_on_the_board(
    client, klass, south_room
):
    # given 陈红 (东湖镇) assigned to 东湖镇's video room and 刘洋 (南岭乡) to 南岭乡's
    assign(klass.program, klass.alice.cadre, klass.video)
    assign(klass.program, klass.bob.cadre, south_room)
    # when 陈红 scans the code shown in 南岭乡's room, and 刘洋 in his own
    assert scan_at(klass.alice, klass.session, south_room).created
    scan_at(klass.bob, klass.session, south_room)
    # then both are recorded, and the board flags 陈红's check-in (not a silent "2 / 1")
    board = selectors.board(klass.session)
    rows = {r.label: (r.checked, r.expected, r.outside) for r in board.by_venue}
    assert rows == {
        "县委党校报告厅": (0, 1, 0),  # 周敏, no assignment
        "东湖镇视频分课堂": (0, 1, 0),  # 陈红's room by assignment
        "南岭乡视频分课堂": (2, 1, 1),
    }
    assert board.outside_count == 1 and [a.cadre.name for a in board.outside] == ["陈红"]
    client.force_login(klass.organizer)
    page = client.get(reverse("checkin:board", args=[klass.session.pk])).content.decode()
    assert "1 人非本区域" in page and "非服务区域签到（1 人）" in page
    assert page.index("非服务区域签到") < page.index("陈红")


def test_the_main_hall_expects_trainees_whose_room_the_session_does_not_use(client, klass, city):
    # given 陈红 assigned to a county video room this session does not use
    unused = make_venue(city.county_a, "东江县委党校视频分课堂", kind=Venue.Kind.VIDEO)
    assign(klass.program, klass.alice.cadre, unused)
    assign(klass.program, klass.bob.cadre, klass.video)
    board = selectors.board(klass.session)
    rows = {r.label: r.expected for r in board.by_venue}
    # then she is expected in the main hall, like the unassigned 周敏; 刘洋 in his room
    assert rows == {"县委党校报告厅": 2, "东湖镇视频分课堂": 1}
    # and the projector of each room counts the same 应到
    client.force_login(klass.organizer)
    for venue, expected in ((klass.hall, 2), (klass.video, 1)):
        url = reverse("checkin:projector_count", args=[klass.session.pk])
        part = client.get(url, {"venue": venue.pk}).content.decode()
        assert f'data-testid="count-expected">{expected}<' in part


def test_the_projector_counts_its_room_live(client, klass):
    assign(klass.program, klass.alice.cadre, klass.video)
    scan_at(klass.alice, klass.session, klass.video)
    client.force_login(klass.organizer)
    url = reverse("checkin:projector_count", args=[klass.session.pk])
    part = client.get(url, {"venue": klass.video.pk}).content.decode()
    assert 'data-testid="count-checked">1<' in part and 'data-testid="count-expected">1<' in part


def test_assigning_trainees_to_a_room_their_sessions_do_not_use_warns(client, klass, city):
    # given the program's sub-classroom for 东湖镇, but two of its sessions held in the hall only
    program = klass.program
    program.main_venue = klass.hall
    program.save()
    program.sub_venues.through.objects.create(program=program, venue=klass.video)
    start = klass.session.starts_at + timedelta(days=1)
    make_session(program, start, main_venue=klass.hall)
    make_session(program, start + timedelta(days=1), main_venue=klass.hall)
    # when the organizer assigns classrooms
    client.force_login(klass.organizer)
    response = client.post(reverse("programs:venues_assign", args=[program.pk]), follow=True)
    # then 东湖镇's trainees go to their video room, with a warning naming it
    page = response.content.decode()
    assert ProgramTrainee._base_manager.get(cadre=klass.alice.cadre).venue == klass.video
    assert "东湖镇视频分课堂：2 名学员分到此教室" in page
    assert "3 个课次中有 2 个没有使用该教室" in page


def test_no_warning_when_every_session_uses_the_room(klass):
    program = klass.program
    program.main_venue = klass.hall
    program.save()
    program.sub_venues.through.objects.create(program=program, venue=klass.video)
    result = programs_services.venues_assign(actor=klass.organizer, program=program)
    assert result["unused"] == []


def test_the_trainees_timetable_shows_the_room_of_each_session(client, klass, city, south_room):
    # given 陈红 assigned to 东湖镇's video room; tomorrow's session is held in the hall only
    assign(klass.program, klass.alice.cadre, klass.video)
    make_session(
        klass.program,
        klass.session.starts_at + timedelta(days=1),
        main_venue=klass.hall,
        title="依法行政专题",
    )
    client.force_login(klass.alice)
    page = client.get(reverse("programs:my")).content.decode()
    # then today's line says her video room, tomorrow's the hall
    today, tomorrow = page.split("风险防范专题")[1].split("依法行政专题")
    assert "上课教室：东湖镇视频分课堂（视频分课堂）" in today
    assert "上课教室：县委党校报告厅" in tomorrow


def test_a_walk_in_at_a_sub_classroom_stays_unflagged_in_its_area(klass, city):
    # a cadre of 东湖镇 walking in at 东湖镇's own room is not flagged
    klass.session.__class__._base_manager.filter(pk=klass.session.pk).update(allow_walk_in=True)
    session = services.session_for_checkin(klass.session.pk)
    walker = make_trainee(city.village_a1, "郑磊")
    scan_at(walker, session, klass.video)
    assert selectors.board(session).outside_count == 0


def test_the_trainees_week_calendar_shows_her_room(client, klass):
    # given 陈红 assigned to 东湖镇's video room, which today's session uses
    assign(klass.program, klass.alice.cadre, klass.video)
    client.force_login(klass.alice)
    day = timezone.localdate(klass.session.starts_at).isoformat()
    page = client.get(reverse("programs:my_calendar"), {"view": "week", "date": day})
    # then the week view names her room, not the main hall
    html = page.content.decode()
    assert '<span data-testid="my-room">东湖镇视频分课堂</span>' in html
    assert "县委党校报告厅" not in html
