"""Two workers run the scheduler at the same moment: each reminder is sent once (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from ganxun.core.scoping import SYSTEM, acting_as
from ganxun.reminders.schedule import reminders_run
from tests.programs.factories import at
from tests.reminders.conftest import told

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(scene):
    start, results, errors = threading.Barrier(2), [], []

    def worker():
        start.wait()
        try:
            with acting_as(SYSTEM):
                results.append(reminders_run(at(date(2030, 3, 1), 18), strict=True))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # one of them sent to the three people; the other found the occurrence claimed
    assert sorted(r["class_tomorrow"] for r in results) == [0, 3]
    assert len(told("class_tomorrow")) == 3
