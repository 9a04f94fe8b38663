"""The reminders' clock: ``reminders_run(now)`` sends whatever is due at ``now``, once.

Registered as a periodic task of the worker (every minute, as SYSTEM) and run by
``ganxun reminders-run [--now ISO]`` for installations without a worker and in tests. Every
occurrence has a key claimed in the sending transaction, so running twice, two workers at once,
or a run after a pause (it catches up on whatever window is still open) sends nothing twice.
A kind that fails is logged and retried next minute; the other kinds still run.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from ganxun.core.periodic import periodic
from ganxun.reminders import due, hours
from ganxun.reminders.send import Book

log = logging.getLogger(__name__)

STEPS: list[Callable[[datetime, Book], dict[str, int]]] = [
    due.classes,
    due.surveys,
    due.evaluations,
    due.outlines,
    hours.hours_short,
]


def reminders_run(now: datetime | None = None, *, strict: bool = False) -> dict[str, int]:
    """Send what is due at ``now`` (default: now); returns notices sent per kind. ``strict``
    raises the first failure (the command and tests), else it is logged."""
    now = now or timezone.now()
    book = Book()
    sent: dict[str, int] = {}
    for step in STEPS:
        try:
            sent.update(step(now, book))
        except Exception:
            if strict:
                raise
            log.warning("reminders: %s failed; retried next run", step.__name__, exc_info=True)
    return sent


@periodic("reminders", every=timedelta(minutes=1))
def run_periodic() -> None:
    reminders_run()
