"""Check-in objects for tests: a session happening now, with classrooms and enrolled trainees."""

from datetime import timedelta

from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.checkin.models import Attendance
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program, make_session, make_venue


def session_now(program, *, started_minutes_ago=5, hours=3, **extra):
    """A session that started ``started_minutes_ago`` minutes ago (negative: starts later)."""
    start = timezone.now() - timedelta(minutes=started_minutes_ago)
    return make_session(program, start, start + timedelta(hours=hours), **extra)


def make_trainee(unit, name=None):
    """A cadre with a trainee account (the account that scans)."""
    cadre = CadreFactory(unit=unit, **({"name": name} if name else {}))
    return make_user(unit, Role.TRAINEE, cadre=cadre)


def attend(session, cadre, **extra) -> Attendance:
    extra.setdefault("checked_in_at", timezone.now())
    extra.setdefault("method", Attendance.Method.MANUAL)
    return Attendance.objects.create(session=session, cadre=cadre, **extra)


def foreign_checkin(city, other_admin) -> dict:
    """A session of 西山区 with a check-in, for the URL walk in tests/test_scoping_http.py."""
    west = city.county_b
    program = make_program(west, organizer=other_admin, name="西山区签到班")
    venue = make_venue(west, "西山区委党校教室")
    session = session_now(program, main_venue=venue)
    cadre = CadreFactory(unit=city.town_b1)
    enroll(program, [cadre])
    attend(session, cadre)
    # The scan link takes a signed code, not an id: the walk's placeholder is a forged code (404).
    return {"checkin/sessions/": session.pk, "checkin/s/": 0}
