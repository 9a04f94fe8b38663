"""自主选学: picks within capacity, the waitlist and its promotion, deadlines and limits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.core.models import Notice
from ganxun.core.scoping import unscoped
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.expected import expected_cadre_ids, is_expected
from ganxun.enrollment.models import Seat
from ganxun.enrollment.services import seat_cancel, seat_pick, selection_rules_save
from ganxun.programs.models import ProgramTrainee
from tests.enrollment.factories import make_selectable, trainee_account
from tests.programs.factories import enroll, make_session

pytestmark = pytest.mark.django_db


def _status(seat) -> str:
    seat.refresh_from_db()
    return seat.status


def test_picks_beyond_capacity_are_waitlisted(setup, city):
    # given a session with two seats and three trainees
    session = make_selectable(setup.program, capacity=2)
    a, b, c = (trainee_account(city.town_a1) for _ in range(3))
    # when all three pick it
    seats = [seat_pick(actor=u, session=session) for u in (a, b, c)]
    # then the first two are enrolled and the third waits
    assert [s.status for s in seats] == ["enrolled", "enrolled", "waitlisted"]
    # and the enrolled ones joined the program as self-selected trainees
    with unscoped():
        sources = set(ProgramTrainee.objects.values_list("source", flat=True))
        assert ProgramTrainee.objects.count() == 2
    assert sources == {ProgramTrainee.Source.SELF_SELECTED}


def test_a_freed_seat_goes_to_the_oldest_waitlisted_and_tells_them(setup, city):
    # given a full session of one with two trainees waiting
    session = make_selectable(setup.program, capacity=1)
    first, older, younger = (trainee_account(city.town_a1) for _ in range(3))
    taken = seat_pick(actor=first, session=session)
    waiting_older = seat_pick(actor=older, session=session)
    waiting_younger = seat_pick(actor=younger, session=session)
    # when the enrolled trainee cancels
    seat_cancel(actor=first, seat=taken)
    # then the older waitlisted trainee is enrolled, the younger still waits
    assert _status(waiting_older) == "enrolled"
    assert _status(waiting_younger) == "waitlisted"
    # and the promoted one has a notice in the inbox
    assert Notice.objects.filter(user=older, kind="seat_promoted").count() == 1
    assert not Notice.objects.filter(user=younger).exists()
    # and the canceller left the program's trainee list, the promoted one joined it
    with unscoped():
        cadres = set(ProgramTrainee.objects.values_list("cadre_id", flat=True))
    assert cadres == {older.cadre_id}


def test_a_trainee_of_another_org_cannot_pick(setup, city):
    # given a session of 东江县's program and a trainee of 西山区
    session = make_selectable(setup.program)
    outsider = trainee_account(city.town_b1)
    # when the outsider picks it, then it is refused with a stable code and nothing is written
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=outsider, session=session)
    assert exc.value.code == "not_in_scope"
    with unscoped():
        assert not Seat.objects.exists()


def test_picking_and_cancelling_close_at_the_deadline(setup, city):
    # given a session whose selection closed an hour ago, and a seat taken before that
    user = trainee_account(city.town_a1)
    session = make_selectable(setup.program, deadline=timezone.now() + timedelta(hours=1))
    seat = seat_pick(actor=user, session=session)
    session.selection_deadline = timezone.now() - timedelta(hours=1)
    session.save()
    late = trainee_account(city.town_a1)
    # when another trainee picks, or the first cancels, both are refused
    for call in (
        lambda: seat_pick(actor=late, session=session),
        lambda: seat_cancel(actor=user, seat=seat),
    ):
        with pytest.raises(EnrollmentError) as exc:
            call()
        assert exc.value.code == "selection_closed"
    assert _status(seat) == "enrolled"


def test_the_same_trainee_cannot_pick_twice(setup, city):
    user = trainee_account(city.town_a1)
    session = make_selectable(setup.program)
    seat_pick(actor=user, session=session)
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=user, session=session)
    assert exc.value.code == "already_picked"


def test_per_program_limit_counts_waitlisted_picks_too(setup, city):
    # given a limit of two picks per trainee in the program
    selection_rules_save(actor=setup.organizer, program=setup.program, per_program=2, per_year=None)
    user = trainee_account(city.town_a1)
    sessions = [
        make_selectable(setup.program, capacity=0, hours_ahead=24 * (i + 2)) for i in range(3)
    ]
    # when the trainee queues for two full sessions and tries a third
    seat_pick(actor=user, session=sessions[0])
    seat_pick(actor=user, session=sessions[1])
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=user, session=sessions[2])
    # then the third is refused, naming the limit
    assert exc.value.code == "limit_reached" and "2" in exc.value.message


def test_per_year_limit_spans_the_org_programs(setup, city):
    # given one pick per year for programs of 东江县, and a second program of the county
    from tests.programs.factories import make_program

    selection_rules_save(actor=setup.organizer, program=setup.program, per_program=None, per_year=1)
    other = make_program(city.county_a, organizer=setup.organizer)
    user = trainee_account(city.town_a1)
    seat_pick(actor=user, session=make_selectable(setup.program, hours_ahead=30))
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=user, session=make_selectable(other, hours_ahead=60))
    assert exc.value.code == "limit_reached"


def test_overlapping_picks_are_refused(setup, city):
    user = trainee_account(city.town_a1)
    seat_pick(actor=user, session=make_selectable(setup.program, hours_ahead=30))
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=user, session=make_selectable(setup.program, hours_ahead=31))
    assert exc.value.code == "time_clash"


def test_a_session_not_self_selectable_cannot_be_picked(setup, city):
    user = trainee_account(city.town_a1)
    session = make_session(setup.program, timezone.now() + timedelta(days=2))
    with pytest.raises(EnrollmentError) as exc:
        seat_pick(actor=user, session=session)
    assert exc.value.code == "not_selectable"


def test_expected_at_a_self_selectable_session_are_the_seated_only(setup, city):
    # given a program with one regular session, one self-selectable session, an assigned
    # trainee and a trainee who only picked the elective
    regular = make_session(setup.program, timezone.now() + timedelta(days=3))
    elective = make_selectable(setup.program, capacity=1)
    (assigned,) = enroll(setup.program, [trainee_account(city.town_a1).cadre])
    picker, waiting = trainee_account(city.town_a1), trainee_account(city.town_a1)
    seat_pick(actor=picker, session=elective)
    seat_pick(actor=waiting, session=elective)
    # then the elective expects only the seated trainee, the regular session only the assigned
    assert set(expected_cadre_ids(elective)) == {picker.cadre_id}
    assert set(expected_cadre_ids(regular)) == {assigned.cadre_id}
    assert not is_expected(elective, waiting.cadre_id)


def _resave_with_capacity(setup, session, capacity):
    from ganxun.programs.models import Program
    from ganxun.programs.services import SessionData, session_save

    # the program runs around the session, so the edit meets no date conflict
    # (to the day it ends too: a session created late in the evening runs past midnight)
    first, last = timezone.localdate(session.starts_at), timezone.localdate(session.ends_at)
    Program._base_manager.filter(pk=setup.program.pk).update(start_date=first, end_date=last)
    setup.program.refresh_from_db()
    data = SessionData(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        title=session.title,
        self_selectable=True,
        capacity=capacity,
    )
    return session_save(
        actor=setup.organizer,
        program=setup.program,
        data=data,
        session=session,
        accept_warnings=True,
    )


def test_raising_the_capacity_on_the_session_form_moves_the_waitlist_up(setup, city):
    # given a full session of one seat with two trainees waiting
    session = make_selectable(setup.program, capacity=1)
    first, older, younger = (trainee_account(city.town_a1) for _ in range(3))
    seat_pick(actor=first, session=session)
    waiting_older = seat_pick(actor=older, session=session)
    waiting_younger = seat_pick(actor=younger, session=session)
    # when the organizer edits the session to two seats
    _resave_with_capacity(setup, session, 2)
    # then the oldest waiting trainee gets the new seat at once
    assert _status(waiting_older) == "enrolled"
    assert _status(waiting_younger) == "waitlisted"


def test_the_capacity_cannot_drop_below_the_seats_already_given(setup, city):
    from ganxun.programs.errors import ProgramError

    # given two trainees holding the two seats
    session = make_selectable(setup.program, capacity=2)
    for _ in range(2):
        seat_pick(actor=trainee_account(city.town_a1), session=session)
    # when the organizer tries to cut the session to one seat
    with pytest.raises(ProgramError) as caught:
        _resave_with_capacity(setup, session, 1)
    # then it is refused and the seats stay
    assert caught.value.code == "capacity_below_taken"
    session.refresh_from_db()
    assert session.capacity == 2
