"""Real concurrency on PostgreSQL: the same trainee checked in by many requests at once."""

import threading

import pytest
from django.db import connection, connections

from ganxun.checkin import codes, services
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.models import Attendance
from ganxun.programs.models import ProgramTrainee, Session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def together(calls) -> list:
    """Run the calls in threads released at the same moment; collect statuses or codes."""
    start, outcomes, lock = threading.Barrier(len(calls)), [], threading.Lock()

    def go(call):
        start.wait()
        try:
            outcome = call().status
        except CheckinError as exc:
            outcome = exc.code
        except Exception as exc:  # a 500 in production: the test must see it
            outcome = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_eight_simultaneous_scans_of_one_trainee_write_one_row(klass):
    scan = codes.read_code(codes.make_code(klass.session.pk, klass.hall.pk))
    outcomes = together([lambda: services.attendance_scan(actor=klass.alice, scan=scan)] * 8)
    assert sorted(outcomes) == ["already_checked_in"] * 7 + ["checked_in"]
    assert Attendance._base_manager.filter(cadre=klass.alice.cadre).count() == 1


def test_simultaneous_walk_ins_write_one_row_and_one_program_entry(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(allow_walk_in=True)
    scan = codes.read_code(codes.make_code(klass.session.pk, klass.hall.pk))
    outcomes = together([lambda: services.attendance_scan(actor=klass.outsider, scan=scan)] * 6)
    assert sorted(outcomes) == ["already_checked_in"] * 5 + ["checked_in"]
    assert Attendance._base_manager.get(cadre=klass.outsider.cadre).walk_in
    assert ProgramTrainee._base_manager.filter(cadre=klass.outsider.cadre).count() == 1


def test_a_kiosk_and_the_phone_at_the_same_moment(klass):
    scan = codes.read_code(codes.make_code(klass.session.pk, klass.hall.pk))
    calls = [
        lambda: services.attendance_scan(actor=klass.bob, scan=scan),
        lambda: services.attendance_check_in(
            actor=klass.organizer, session_id=klass.session.pk, cadre_id=klass.bob.cadre.pk
        ),
    ] * 3
    outcomes = together(calls)
    assert outcomes.count("checked_in") == 1 and outcomes.count("already_checked_in") == 5
    assert Attendance._base_manager.filter(cadre=klass.bob.cadre).count() == 1
