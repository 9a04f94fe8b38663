"""Races on PostgreSQL: quotas under simultaneous nominations, seats under a burst of picks."""

import threading

import pytest
from django.db import connection, connections

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import Nomination, Seat
from ganxun.enrollment.services import nomination_create, seat_cancel, seat_pick
from tests.enrollment.factories import make_quota, make_selectable, trainee_account
from tests.factories import CadreFactory, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _together(calls) -> list[str]:
    """Run the calls in threads released at the same moment; collect outcome codes."""
    start, outcomes, lock = threading.Barrier(len(calls)), [], threading.Lock()

    def go(call):
        start.wait()
        try:
            result = call()
            code = getattr(result, "status", "ok")
        except EnrollmentError as exc:
            code = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_contacts_at_the_same_moment_cannot_exceed_the_quota(setup, city):
    # given 东湖镇 has 3 seats, and both its own contact and the county's may fill them
    quota = make_quota(setup.program, city.town_a1, seats=3)
    contacts = [
        make_user(city.town_a1, Role.UNIT_CONTACT),
        make_user(city.county_a, Role.UNIT_CONTACT),
    ]
    cadres = [CadreFactory(unit=city.town_a1) for _ in range(8)]
    # when the two contacts put eight different cadres forward at the same moment
    calls = [
        (lambda i=i, c=c: nomination_create(actor=contacts[i % 2], quota=quota, cadre=c))
        for i, c in enumerate(cadres)
    ]
    outcomes = _together(calls)
    # then exactly three are taken, the rest refused as full with a stable code
    assert sorted(outcomes) == ["pending"] * 3 + ["quota_full"] * 5
    with unscoped():
        assert Nomination.objects.filter(quota=quota, status__in=Nomination.LIVE).count() == 3


def test_two_contacts_nominating_the_same_cadre_at_once_store_one(setup, city):
    quota = make_quota(setup.program, city.town_a1, seats=5)
    cadre = CadreFactory(unit=city.town_a1)
    contacts = [make_user(city.town_a1, Role.UNIT_CONTACT) for _ in range(2)]
    outcomes = _together(
        [lambda u=u: nomination_create(actor=u, quota=quota, cadre=cadre) for u in contacts]
    )
    assert sorted(outcomes) == ["already_nominated", "pending"]


def test_forty_trainees_racing_for_ten_seats(setup, city):
    # given a self-selectable session with 10 seats and 40 trainees of 东湖镇
    session = make_selectable(setup.program, capacity=10)
    users = [trainee_account(city.town_a1) for _ in range(40)]
    # when they all pick it at the same moment
    outcomes = _together([lambda u=u: seat_pick(actor=u, session=session) for u in users])
    # then exactly 10 are enrolled and 30 waitlisted, never 11
    assert sorted(outcomes) == ["enrolled"] * 10 + ["waitlisted"] * 30
    with unscoped():
        seats = list(Seat.objects.filter(session=session).order_by("id"))
    assert [s.status for s in seats] == ["enrolled"] * 10 + ["waitlisted"] * 30
    # and the waitlist is in request order: ids and request times rise together
    times = [s.requested_at for s in seats]
    assert times == sorted(times)
    # when an enrolled trainee cancels, the oldest waitlisted one moves up
    first_waiting = seats[10]
    canceller = next(u for u in users if u.cadre_id == seats[0].cadre_id)
    seat_cancel(actor=canceller, seat=seats[0])
    first_waiting.refresh_from_db()
    assert first_waiting.status == Seat.Status.ENROLLED
    with unscoped():
        assert Seat.objects.filter(session=session, status="enrolled").count() == 10
