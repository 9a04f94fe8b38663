"""Django's database sessions (same table, same format), the row read by a statement written
once: every signed-in request reads its session, and compiling the ORM's query cost more than
the database took to answer it (issue 19, docs/benchmarks.md). ``settings.SESSION_ENGINE``
names this module when no Redis is configured (with Redis: ``cached_db``)."""

import functools

from django.contrib.sessions.backends import db
from django.db import connection, connections, router
from django.utils import timezone

from ganxun.core.rawrows import instance_from_row, select_list


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        sql = _select_sql(model, connection.vendor)
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
            return None
        return instance_from_row(model, row)


@functools.cache
def _select_sql(model, vendor: str) -> str:
    qn = connection.ops.quote_name
    return (
        f"SELECT {select_list(model, 's')} FROM {qn(model._meta.db_table)} s"
        f" WHERE s.{qn('session_key')} = %s AND s.{qn('expire_date')} > %s"
    )
