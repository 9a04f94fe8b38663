"""The check-in service: idempotent, late marks, window, walk-ins and refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.checkin import codes, services
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.events import AttendanceRecorded
from ganxun.checkin.models import Attendance
from ganxun.core import events
from ganxun.programs.models import ProgramTrainee, Session
from tests.checkin.factories import session_now

pytestmark = pytest.mark.django_db


def scan_of(session, venue):
    return codes.read_code(codes.make_code(session.pk, venue.pk))


def test_checking_in_twice_keeps_one_row_and_the_first_time(klass):
    # given Alice scans the hall's code
    first = services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.hall))
    # when she scans again a minute later
    later = timezone.now() + timedelta(minutes=1)
    again = services.attendance_scan(
        actor=klass.alice, scan=scan_of(klass.session, klass.hall), now=later
    )
    # then the second answer is a success with the first row and time
    assert (first.status, again.status) == ("checked_in", "already_checked_in")
    assert again.attendance.pk == first.attendance.pk
    assert again.attendance.checked_in_at == first.attendance.checked_in_at
    assert Attendance._base_manager.filter(session=klass.session).count() == 1


def test_the_row_records_venue_method_and_who(klass):
    result = services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.video))
    row = Attendance._base_manager.get(pk=result.attendance.pk)
    assert (row.venue, row.method, row.recorded_by, row.walk_in) == (
        klass.video,
        "qr",
        klass.alice,
        False,
    )


def test_the_event_is_published_once_for_a_new_row(klass):
    seen = []

    def step(event):
        seen.append((event.attendance.pk, event.created))

    with events.subscribed(AttendanceRecorded, step):
        services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.hall))
        services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.hall))
    assert len(seen) == 1 and seen[0][1] is True


@pytest.mark.parametrize(
    ("minutes_after_start", "late"),
    [(-20, 0), (0, 0), (10, 0), (11, 11), (47, 47)],
)
def test_late_minutes_count_only_beyond_the_threshold(klass, minutes_after_start, late):
    # given the session's threshold of 10 minutes
    at = klass.session.starts_at + timedelta(minutes=minutes_after_start)
    result = services.attendance_scan(
        actor=klass.alice, scan=scan_of(klass.session, klass.hall), now=at
    )
    assert result.attendance.late_minutes == late


def test_a_custom_threshold_is_used(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(late_after_minutes=30)
    at = klass.session.starts_at + timedelta(minutes=20)
    result = services.attendance_scan(
        actor=klass.alice, scan=scan_of(klass.session, klass.hall), now=at
    )
    assert result.attendance.late_minutes == 0


@pytest.mark.parametrize(
    ("offset", "why"),
    [(-timedelta(minutes=31), "尚未开始"), (timedelta(hours=3, minutes=1), "已结束")],
)
def test_outside_the_window_the_session_is_closed(klass, offset, why):
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(
            actor=klass.alice,
            scan=scan_of(klass.session, klass.hall),
            now=klass.session.starts_at + offset,
        )
    assert refused.value.code == "session_closed" and why in refused.value.message
    assert not Attendance._base_manager.exists()


def test_check_in_opens_thirty_minutes_before_the_start(klass):
    at = klass.session.starts_at - timedelta(minutes=29)
    result = services.attendance_scan(
        actor=klass.alice, scan=scan_of(klass.session, klass.hall), now=at
    )
    assert result.created and result.attendance.late_minutes == 0


def test_a_cancelled_session_is_closed(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(status="cancelled")
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.hall))
    assert refused.value.code == "session_closed"


def test_a_trainee_not_enrolled_is_refused_clearly(klass):
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.outsider, scan=scan_of(klass.session, klass.hall))
    assert refused.value.code == "not_enrolled" and refused.value.status == 403
    assert "不在本次课的学员名单" in refused.value.message
    assert not Attendance._base_manager.exists()
    assert not ProgramTrainee._base_manager.filter(cadre=klass.outsider.cadre).exists()


def test_where_walk_ins_are_allowed_they_are_recorded_and_join_the_program(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(allow_walk_in=True)
    result = services.attendance_scan(actor=klass.outsider, scan=scan_of(klass.session, klass.hall))
    assert result.created and result.attendance.walk_in
    trainee = ProgramTrainee._base_manager.get(program=klass.program, cadre=klass.outsider.cadre)
    assert trainee.source == ProgramTrainee.Source.WALK_IN
    # and scanning again is the same harmless answer
    again = services.attendance_scan(actor=klass.outsider, scan=scan_of(klass.session, klass.hall))
    assert again.status == "already_checked_in" and again.attendance.walk_in


def test_a_walk_in_from_another_county_is_refused(klass):
    # given a county program that allows walk-ins, and a cadre of 西山区
    Session._base_manager.filter(pk=klass.session.pk).update(allow_walk_in=True)
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.far_away, scan=scan_of(klass.session, klass.hall))
    assert refused.value.code == "not_enrolled" and "培训范围" in refused.value.message
    assert not Attendance._base_manager.exists()


def test_only_the_sessions_batch_is_expected(klass):
    # given a session for batch 2 while Alice is in batch 1
    ProgramTrainee._base_manager.filter(cadre=klass.alice.cadre).update(batch=1)
    second = session_now(klass.program, main_venue=klass.hall, batch=2)
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.alice, scan=scan_of(second, klass.hall))
    assert refused.value.code == "not_enrolled"


def test_an_account_without_a_cadre_cannot_scan(klass):
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.organizer, scan=scan_of(klass.session, klass.hall))
    assert refused.value.code == "no_cadre"


def test_geofence_refuses_a_phone_outside_the_radius(klass):
    # given the hall at the party school with a 200 m fence
    hall = klass.hall
    hall.latitude, hall.longitude, hall.geofence_m = 29.868336, 121.543990, 200
    hall.save()
    scan = scan_of(klass.session, hall)
    # when Alice scans 2 km away, then she is refused
    with pytest.raises(CheckinError) as refused:
        services.attendance_scan(actor=klass.alice, scan=scan, position=(29.886, 121.543))
    assert refused.value.code == "out_of_range" and "米" in refused.value.message
    # and without a position too
    with pytest.raises(CheckinError):
        services.attendance_scan(actor=klass.alice, scan=scan, position=None)
    # when she is in the room (≈ 50 m), then she is checked in
    inside = services.attendance_scan(actor=klass.alice, scan=scan, position=(29.8687, 121.5443))
    assert inside.created


def test_the_sub_classroom_without_a_fence_needs_no_position(klass):
    result = services.attendance_scan(actor=klass.bob, scan=scan_of(klass.session, klass.video))
    assert result.created


def test_a_check_in_whose_crediting_fails_is_not_recorded(klass):
    # given a step after check-in that fails (the ledger refuses the write)
    def broken(event):
        raise RuntimeError("ledger unavailable")

    # when Alice scans, then she sees the failure and no half-recorded check-in is left behind
    with events.subscribed(AttendanceRecorded, broken), pytest.raises(RuntimeError):
        services.attendance_scan(actor=klass.alice, scan=scan_of(klass.session, klass.hall))
    assert not Attendance._base_manager.filter(session=klass.session).exists()
