"""The inbox (我的消息): the rows every notice leaves in it.

Apps do not call this module to tell people something: they call
``ganxun.messaging.outbox.send`` with a registered kind, which writes the in-app notices
(``core.Notice`` rows carrying their ``message_id``) and the other channels' deliveries in one
go. This module keeps what the inbox itself needs. The one exception is the invitation to
rate a class, written on each check-in (``notices_send_to_cadre``, one INSERT … SELECT — see
evaluations/services/invitations.py).

A cadre's notice lands in each of the cadre's active accounts, and when the cadre has none yet
it is kept addressed to the cadre alone (``user`` empty). The inbox of any account linked to
that cadre later shows it (``inbox_q``), and reading it makes it that account's
(``notices_mark_read``) — so trainees whose account is created after the 调训通知 still
receive it."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ganxun.core.models import Notice

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User


def notices_send_to_cadre(
    *, cadre_id: int, kind: str, title: str, body: str = "", url: str = "", shows_at=None
):
    """The same notice for every active account of a cadre — or, with none, for the cadre to
    find later — in one INSERT … SELECT (no round trip to look the accounts up first: the
    check-in path sends one per scan). ``shows_at`` (default now) is when it appears in the
    inbox (``Notice.objects`` hides later ones). Returns the rows written."""
    user_model = get_user_model()
    notice, users = Notice._meta.db_table, user_model._meta.db_table
    values = "%s, %s, %s, %s, %s"  # kind, title, body, url, created_at (read_at stays NULL)
    sql = (
        f"INSERT INTO {notice} (user_id, cadre_id, kind, title, body, url, created_at) "
        f"SELECT id, cadre_id, {values} FROM {users} WHERE cadre_id = %s AND is_active "
        f"UNION ALL SELECT NULL, %s, {values} WHERE NOT EXISTS "
        f"(SELECT 1 FROM {users} WHERE cadre_id = %s AND is_active)"
    )
    row = [kind, title[:200], body, url[:300], shows_at or timezone.now()]
    params = [*row, cadre_id, cadre_id, *row, cadre_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def inbox_q(user: "User") -> Q:
    """The user's notices: their own, and those kept for their cadre with no account yet."""
    q = Q(user_id=user.pk)
    if getattr(user, "cadre_id", None):
        q |= Q(user__isnull=True, cadre_id=user.cadre_id)
    return q


def notices_mark_read(*, user: "User", notice_id: int | None = None) -> int:
    """Mark one or all unread notices read; a cadre's unclaimed notice becomes the user's."""
    qs = Notice.objects.filter(inbox_q(user), read_at__isnull=True)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now(), user_id=user.pk)


# Reminders to units that have not answered (a course call, a quota): at most one a day per unit.
REMIND_INTERVAL = timedelta(days=1)


def remind_due(last_reminded_at, now=None) -> bool:
    """Whether a unit last reminded at ``last_reminded_at`` (None: never) may be reminded now."""
    now = now or timezone.now()
    return last_reminded_at is None or now - last_reminded_at >= REMIND_INTERVAL
