"""Domain events: how a lower app has a higher app's step run without importing it.

Check-in must credit 学时 and invite the trainee to rate the class, but credits and evaluations
read check-in's models, so check-in cannot import them without closing an import cycle. Instead
check-in publishes a plain, typed event (``checkin.events.AttendanceRecorded``) and the apps
above it subscribe their step to it in their ``AppConfig.ready``:

    events.subscribe(AttendanceRecorded, credit_attendance)

Unlike a Django signal this is a plain function call with nothing hidden: the steps run in the
publisher's transaction and thread, in the order of INSTALLED_APPS (the order the ``ready`` hooks
subscribed them), an exception in one propagates to the publisher (so the whole check-in rolls
back), and ``subscribers(AttendanceRecorded)`` lists them. Subscribing is only done in ``ready``;
tests may use ``subscribed`` to add a step for one block.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

E = TypeVar("E")
Handler = Callable[[Any], None]

_handlers: dict[type, list[Handler]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Run ``handler(event)`` whenever an ``event_type`` is published. Subscribing the same
    handler twice is a no-op (``ready`` may run more than once in a test process)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    handlers = _handlers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def subscribers(event_type: type) -> tuple[Handler, ...]:
    """The steps that run for ``event_type``, in order."""
    return tuple(_handlers.get(event_type, ()))


def publish(event: object) -> None:
    """Run every step subscribed to the event's exact type, in order, here and now."""
    for handler in subscribers(type(event)):
        handler(event)


@contextmanager
def subscribed(event_type: type[E], handler: Callable[[E], None]) -> Iterator[None]:
    """``handler`` subscribed for the duration of a block (tests)."""
    subscribe(event_type, handler)
    try:
        yield
    finally:
        unsubscribe(event_type, handler)
