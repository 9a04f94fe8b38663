"""Work the task worker repeats on its own clock: delivering the outbox, firing reminders.

An app registers a function with ``@periodic("name", every=timedelta(...))`` (at import of a
module its AppConfig.ready() loads); ``ganxun worker`` runs each registered function in its own
daemon thread (``PeriodicThread``), so a slow channel never delays the heartbeat or another
periodic task, and the embedded default needs no scheduler server beside the worker. Every
worker runs them, as the visible ``SYSTEM`` actor: the functions must be safe to run in two
processes at once (claim rows with a lease, key what they send) — which also makes a killed
worker's work someone else's.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections, connection

from ganxun.core.scoping import SYSTEM, acting_as

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    fn: Callable[[], object]


REGISTRY: dict[str, Periodic] = {}


def periodic(name: str, *, every: timedelta):
    """Register ``fn`` to run every ``every`` in each worker (a later registration replaces)."""

    def register(fn):
        REGISTRY[name] = Periodic(name=name, every=every, fn=fn)
        return fn

    return register


class PeriodicThread(threading.Thread):
    """Runs one periodic function until stopped; an exception is logged, never fatal."""

    def __init__(self, task: Periodic):
        super().__init__(name=f"ganxun-{task.name}", daemon=True)
        self.task = task
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.run_once()
            self.stopping.wait(self.task.every.total_seconds())
        close_old_connections()

    def run_once(self) -> None:
        try:
            connection.close_if_unusable_or_obsolete()
            with acting_as(SYSTEM):  # cross-tree by nature: every program's reminders
                self.task.fn()
        except Exception:  # a database restart, a locked SQLite file: try again next round
            log.warning("periodic task %s failed; retrying", self.task.name, exc_info=True)
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def start_periodic_threads() -> list[PeriodicThread]:
    threads = [PeriodicThread(task) for task in REGISTRY.values()]
    for thread in threads:
        thread.start()
    return threads
