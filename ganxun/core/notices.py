"""The inbox (我的消息): one call for any app to tell users something they should act on."""

from collections.abc import Iterable

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
