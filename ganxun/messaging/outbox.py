"""The one way any app tells people something: ``send`` and ``send_each``.

CONTRACT (session 5 skeleton — the outbox helper replaces the body, the signatures stay):
a call writes the notice once, in the caller's transaction, and returns the number of
recipients. Title, body and SMS text come from the notice kind's template rendered with
``context`` (ganxun.messaging.templates.render). Recipients are accounts or roster cadres
(``To``); a cadre with no account yet still gets the in-app notice when an account appears.
``key`` makes a send idempotent: a second send with the same key writes nothing and returns 0
(the scheduler's "each reminder once"). The in-app notice is written at once (it is part of the
event); every other channel is delivered later by the worker."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ganxun.core.notices import CadreNotice, notices_send_each, notices_send_to_cadres
from ganxun.messaging.templates import render


@dataclass(frozen=True)
class To:
    """One recipient: an account (``user_id``) or a roster cadre (``cadre_id``)."""

    user_id: int | None = None
    cadre_id: int | None = None

    @classmethod
    def user(cls, user) -> "To":
        return cls(user_id=user.pk, cadre_id=getattr(user, "cadre_id", None))

    @classmethod
    def cadre(cls, cadre_id: int) -> "To":
        return cls(cadre_id=cadre_id)


@dataclass(frozen=True)
class Outgoing:
    """One recipient's own rendering of a kind (``send_each``)."""

    to: To
    context: Mapping[str, object] = field(default_factory=dict)
    url: str = ""


def send(
    *,
    kind: str,
    to: Iterable[To],
    context: Mapping[str, object] | None = None,
    url: str = "",
    program_id: int | None = None,
    org_id: int | None = None,
    key: str = "",
    sender=None,
    shows_at: datetime | None = None,
) -> int:
    """The same notice of ``kind`` to every recipient in ``to``."""
    return send_each(
        kind=kind,
        items=[Outgoing(to=t, context=context or {}, url=url) for t in to],
        program_id=program_id,
        org_id=org_id,
        key=key,
        sender=sender,
        shows_at=shows_at,
    )


def send_each(
    *,
    kind: str,
    items: Iterable[Outgoing],
    program_id: int | None = None,
    org_id: int | None = None,
    key: str = "",
    sender=None,
    shows_at: datetime | None = None,
) -> int:
    """Notices of one ``kind``, each recipient with its own context and link."""
    by_account, by_cadre = [], []
    for item in items:
        text = render(kind, item.context, org_id=org_id)
        if item.to.user_id is not None:
            by_account.append((item.to.user_id, kind, text.title, text.body, item.url))
        elif item.to.cadre_id is not None:
            by_cadre.append(CadreNotice(item.to.cadre_id, kind, text.title, text.body, item.url))
    return _write_user_ids(by_account) + (notices_send_to_cadres(by_cadre) if by_cadre else 0)


def _write_user_ids(rows: list[tuple]) -> int:
    from django.contrib.auth import get_user_model

    # scope: the recipients were chosen by the calling service, which checked the actor
    users = get_user_model()._base_manager.in_bulk([r[0] for r in rows])
    return notices_send_each([(users[r[0]], *r[1:]) for r in rows if r[0] in users])
