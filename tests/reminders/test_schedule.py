"""The scheduler fires each reminder once, at its moment, only to the right people, and not
when switched off."""

from datetime import date, timedelta

import pytest

from ganxun.core.periodic import REGISTRY
from ganxun.enrollment.models import LeaveRequest
from ganxun.reminders.models import ReminderFired, ReminderSetting
from tests.reminders.conftest import run, told, told_cadres

pytestmark = pytest.mark.django_db
EVE, DAY = date(2030, 3, 1), date(2030, 3, 2)


def test_the_scheduler_is_a_periodic_task_of_the_worker():
    task = REGISTRY["reminders"]
    assert task.every == timedelta(minutes=1)
    assert task.fn.__module__ == "ganxun.reminders.schedule"


def test_class_tomorrow_fires_once_at_the_hour_to_the_expected_trainees_and_lecturer(scene):
    # given the default hour (18:00 the day before)
    # when the scheduler runs just before it, nothing is sent
    assert run(EVE, 17, 59)["class_tomorrow"] == 0
    assert told("class_tomorrow") == []
    # when it runs at 18:00, batch 1 and the lecturer are told — batch 2 is not expected
    assert run(EVE, 18, 0)["class_tomorrow"] == 3
    expected = sorted([*(c.pk for c in scene.batch1), scene.teacher_cadre.pk])
    assert told_cadres("class_tomorrow") == expected
    # and the trainee without an account has the notice kept for her cadre
    assert (None, scene.batch1[1].pk) in told("class_tomorrow")
    # when it runs again, and later that evening, nothing more is sent
    assert run(EVE, 18, 1)["class_tomorrow"] == 0
    assert run(EVE, 23, 59)["class_tomorrow"] == 0
    assert len(told("class_tomorrow")) == 3
    assert ReminderFired.objects.visible_to(scene.organizer).count() == 1


def test_class_in_an_hour_fires_once_across_the_boundary(scene):
    assert run(DAY, 7, 59)["class_soon"] == 0
    assert run(DAY, 8, 0)["class_soon"] == 3
    assert run(DAY, 8, 30)["class_soon"] == 0
    # and class tomorrow does not fire on the day itself (the scheduler was down the evening)
    assert told("class_tomorrow") == []
    # after the start nothing fires
    assert run(DAY, 9, 1)["class_soon"] == 0


def test_approved_leave_is_not_reminded(scene):
    LeaveRequest.objects.create(
        session=scene.session,
        cadre=scene.batch1[0],
        reason="出差",
        status=LeaveRequest.Status.APPROVED,
    )
    run(EVE, 18)
    assert scene.batch1[0].pk not in told_cadres("class_tomorrow")
    assert scene.batch1[1].pk in told_cadres("class_tomorrow")


def test_a_moved_class_is_reminded_again_for_its_new_day(scene):
    run(EVE, 18)
    scene.session.starts_at += timedelta(days=1)
    scene.session.ends_at += timedelta(days=1)
    scene.session.save()
    assert run(DAY, 18)["class_tomorrow"] == 3


def test_switched_off_by_the_org_and_on_again_by_the_program(scene, city):
    # given the city switches class reminders off for its whole tree
    ReminderSetting.objects.create(org=city.city, kind="class_tomorrow", enabled=False)
    assert run(EVE, 18)["class_tomorrow"] == 0
    # when the program switches it back on, at 20:00
    ReminderSetting.objects.create(
        program=scene.program, kind="class_tomorrow", enabled=True, value=20
    )
    assert run(EVE, 19)["class_tomorrow"] == 0
    assert run(EVE, 20)["class_tomorrow"] == 3


def test_the_county_below_overrides_the_city(scene, city):
    ReminderSetting.objects.create(org=city.city, kind="class_soon", enabled=False)
    ReminderSetting.objects.create(org=city.county_a, kind="class_soon", enabled=True, value=30)
    assert run(DAY, 8, 0)["class_soon"] == 0
    assert run(DAY, 8, 30)["class_soon"] == 3


def test_a_closed_program_or_cancelled_class_is_not_reminded(scene):
    scene.session.status = "cancelled"
    scene.session.save()
    assert run(EVE, 18)["class_tomorrow"] == 0


def test_the_command_runs_a_given_moment_once(scene):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("reminders-run", "--now", "2030-03-01T18:00", "--json", stdout=out)
    assert json.loads(out.getvalue())["class_tomorrow"] == 3
    out = StringIO()
    call_command("reminders-run", "--now", "2030-03-01T18:05", "--json", stdout=out)
    assert json.loads(out.getvalue())["class_tomorrow"] == 0
    with pytest.raises(CommandError):
        call_command("reminders-run", "--now", "tomorrow evening")
