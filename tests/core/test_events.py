"""The domain-event dispatcher (core/events.py): the steps an app subscribes run as plain calls,
in order, once each, and a failing step fails the publisher."""

from dataclasses import dataclass

import pytest

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events
from ganxun.credits.attendance import credit_attendance
from ganxun.evaluations.services.invitations import invite_to_rate
from ganxun.ops.metrics import count_checkin


@dataclass(frozen=True)
class Happened:
    what: str


@dataclass(frozen=True)
class SomethingElse:
    what: str


def test_steps_run_in_the_order_subscribed_and_once_each_however_often_subscribed():
    ran = []

    def first(event):
        ran.append(("first", event.what))

    def second(event):
        ran.append(("second", event.what))

    with events.subscribed(Happened, first), events.subscribed(Happened, second):
        events.subscribe(Happened, first)  # a second `ready` changes nothing
        events.publish(Happened("a"))
    assert ran == [("first", "a"), ("second", "a")]


def test_only_the_steps_of_the_event_type_run_and_none_after_the_block():
    ran = []
    with events.subscribed(Happened, ran.append):
        events.publish(SomethingElse("b"))
    events.publish(Happened("c"))
    assert ran == []
    assert events.subscribers(Happened) == ()


def test_a_failing_step_reaches_the_publisher_and_the_next_step_does_not_run():
    ran = []

    def broken(event):
        raise RuntimeError("ledger unavailable")

    with (
        events.subscribed(Happened, broken),
        events.subscribed(Happened, ran.append),
        pytest.raises(RuntimeError, match="ledger unavailable"),
    ):
        events.publish(Happened("d"))
    assert ran == []


def test_a_check_in_runs_the_credit_invitation_and_metrics_steps_in_app_order():
    # subscribed by the apps' ready(): evaluations, credits and ops come in INSTALLED_APPS order
    assert events.subscribers(AttendanceRecorded) == (
        invite_to_rate,
        credit_attendance,
        count_checkin,
    )
