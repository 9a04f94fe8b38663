"""The inbox (我的消息): one call for any app to tell users something they should act on."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from ganxun.core.models import Notice


def notices_send(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> int:
    """Put one notice in each user's inbox (one INSERT); returns how many were sent."""
    rows = [
        Notice(user=u, kind=kind, title=title[:200], body=body, url=url[:300])
        for u in users
        if u is not None
    ]
    Notice.objects.bulk_create(rows)
    return len(rows)


def notices_send_to_cadre(
    *, cadre_id: int, kind: str, title: str, body: str = "", url: str = "", shows_at=None
):
    """The same notice for every active account of a cadre, in one INSERT … SELECT (no round
    trip to look the accounts up first: the check-in path sends one per scan). ``shows_at``
    (default now) is when it appears in the inbox (``Notice.objects`` hides later ones)."""
    user_model = get_user_model()
    notice, users = Notice._meta.db_table, user_model._meta.db_table
    sql = (
        f"INSERT INTO {notice} (user_id, kind, title, body, url, created_at, read_at) "
        f"SELECT id, %s, %s, %s, %s, %s, NULL FROM {users} WHERE cadre_id = %s AND is_active"
    )
    params = [kind, title[:200], body, url[:300], shows_at or timezone.now(), cadre_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
