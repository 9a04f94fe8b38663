"""Shared fixed-window counters for the rate limits (core/ratelimit.py).

A limit must hold across every process that serves requests — several gunicorn workers, or
runserver next to the task worker — so a count never lives in one process's memory:

* with Redis configured (``REDIS_URL``: the default cache is Redis), one pipelined round trip
  ``INCR`` + ``EXPIRE … NX``; the key expires on its own once its window is over;
* otherwise in the database (SQLite or PostgreSQL), one statement
  ``INSERT … ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n`` on ``core_ratecounter``; rows of
  ended windows are purged now and then by the request that opens a new window.

Both are one atomic increment per request: concurrent processes never lose a count.
"""

import random
import time

from django.conf import settings
from django.db import connections, router

from ganxun.core.models import RateCounter

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# A new window's first request purges ended windows with this chance: about once per 200
# windows opened, so the table stays small without a scheduled job and without a cost per hit.
PURGE_CHANCE = 1 / 200


def uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"] == REDIS_BACKEND


def increment(bucket: str, expires: int, amount: int = 1) -> int:
    """Count ``amount`` hits (one by default) in ``bucket`` (a window that ends at unix time
    ``expires``); the new total. The outbox takes a batch's worth of its rate at once."""
    if uses_redis():
        return _redis_increment(bucket, expires, amount)
    return _db_increment(bucket, expires, amount)


def _redis_client(bucket: str, *, write: bool = False):
    """The redis-py client behind the default cache, and the cache's full key for ``bucket``."""
    from django.core.cache import cache

    key = cache.make_and_validate_key(f"gx:rl:{bucket}")
    return cache._cache.get_client(key, write=write), key  # type: ignore[attr-defined]


def _redis_increment(bucket: str, expires: int, amount: int = 1) -> int:
    client, key = _redis_client(bucket, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.incr(key, amount)
    pipe.expireat(key, expires + 1, nx=True)  # set once, by the window's first hit
    count, _expiry_set = pipe.execute()
    return int(count)


def _upsert_sql(connection) -> str:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (bucket, n, expires) VALUES (%s, %s, %s) "
        f"ON CONFLICT (bucket) DO UPDATE SET n = {table}.n + excluded.n RETURNING n"
    )


def _db_increment(bucket: str, expires: int, amount: int = 1) -> int:
    connection = connections[router.db_for_write(RateCounter)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection), [bucket, amount, expires])
        (count,) = cursor.fetchall()[0]  # fetch all: SQLite finishes the statement only then
    if count == amount and random.random() < PURGE_CHANCE:
        purge_expired()
    return int(count)


def current(bucket: str) -> int:
    """The count of ``bucket`` so far (0 when nothing was counted or the window is over)."""
    if uses_redis():
        client, key = _redis_client(bucket)
        return int(client.get(key) or 0)
    row = RateCounter.objects.filter(bucket=bucket).values_list("n", flat=True).first()
    return row or 0


def purge_expired(now: float | None = None) -> int:
    """Delete the database rows of windows that are over; how many."""
    if uses_redis():
        return 0  # Redis expires its keys itself
    moment = int(time.time() if now is None else now)
    deleted, _ = RateCounter.objects.filter(expires__lt=moment).delete()
    return deleted
