"""The inbox (我的消息): the rows every notice leaves in it.

Apps do not call this module to tell people something: they call
``ganxun.messaging.outbox.send`` with a registered kind, which writes the in-app notice here
(``notices_send_each`` for accounts, ``notices_send_to_cadres`` for roster cadres) and the other
channels through the outbox. The one exception is the invitation to rate a class, written on
each check-in (``notices_send_to_cadre``, one INSERT … SELECT — see
evaluations/services/invitations.py).

A cadre's notice lands in each of the cadre's active accounts, and when the cadre has none yet
it is kept addressed to the cadre alone (``user`` empty). The inbox of any account linked to
that cadre later shows it (``inbox_q``), and reading it makes it that account's
(``notices_mark_read``) — so trainees whose account is created after the 调训通知 still
receive it."""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ganxun.core.models import Notice

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User


def notices_send_each(rows: list[tuple]) -> int:
    """Different notices to different users, one INSERT: rows of (user, kind, title, body,
    url)."""
    Notice.objects.bulk_create(
        [
            Notice(
                user=u,
                cadre_id=getattr(u, "cadre_id", None),
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
            )
            for u, kind, title, body, url in rows
        ],
        batch_size=500,
    )
    return len(rows)


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


@dataclass(frozen=True)
class CadreNotice:
    cadre_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""


def notices_send_to_cadres(notices: list[CadreNotice]) -> int:
    """Many cadres' notices (each its own text) in one SELECT of accounts and one INSERT."""
    user_model = get_user_model()
    accounts: dict[int, list[int | None]] = {}  # None: a notice kept for a later account
    for user_id, cadre_id in user_model.objects.filter(
        cadre_id__in={n.cadre_id for n in notices}, is_active=True
    ).values_list("pk", "cadre_id"):
        accounts.setdefault(cadre_id, []).append(user_id)
    rows = [
        Notice(
            user_id=user_id,
            cadre_id=n.cadre_id,
            kind=n.kind,
            title=n.title[:200],
            body=n.body,
            url=n.url[:300],
        )
        for n in notices
        for user_id in accounts.get(n.cadre_id) or [None]
    ]
    Notice.objects.bulk_create(rows, batch_size=500)
    return len(rows)


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
