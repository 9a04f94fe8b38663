"""The one way any app tells people something: ``send`` and ``send_each``.

A call writes the notice once, in the caller's transaction, and returns the number of
recipients: one ``messaging.Message``, each recipient's in-app notice (``core.Notice`` rows
carrying ``message_id``, shown at once or at ``shows_at``) with an in-app ``Delivery`` marked
sent, and a pending ``Delivery`` for every other channel the recipient gets
(``preferences.channels_for``), which the worker's delivery loop sends later
(``ganxun.messaging.delivery``). Writing it in the event's transaction is what makes it
reliable: the notice exists exactly when the event committed, and a crash after the commit
loses nothing because the worker finds the pending rows.

Title, body and SMS text come from the kind's template rendered with ``context``
(``ganxun.messaging.templates.render``). Recipients are accounts or roster cadres (``To``); a
cadre with no account yet still gets the in-app notice when an account appears (core/notices.py).
``key`` makes a send idempotent: a second send with the same key writes nothing and returns 0
(the scheduler's "each reminder once"; a unique index decides between two at once).

Bulk: recipients are written in batches (``BATCH``) with one query for their accounts and one
statement per table per batch (`insert_rows`: COPY on PostgreSQL, executemany on SQLite) —
50,000 recipients in seconds on PostgreSQL (docs/benchmarks.md "Outbox")."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ganxun.core.models import Notice
from ganxun.messaging import preferences
from ganxun.messaging.models import INAPP, Delivery, Message
from ganxun.messaging.templates import Rendered, renderer

BATCH = 2000  # recipients per round of queries and INSERTs


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
    if key and Message._base_manager.filter(key=key).exists():  # scope: an existence check
        return 0  # before building 50,000 items for nothing
    shared = context or {}  # one object: rendered once for everybody
    return send_each(
        kind=kind,
        items=[Outgoing(to=t, context=shared, url=url) for t in to],
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
    if key and Message._base_manager.filter(key=key).exists():  # scope: an existence check
        return 0
    unique: dict[To, Outgoing] = {}
    for item in items:
        if item.to.user_id is not None or item.to.cadre_id is not None:
            unique.setdefault(item.to, item)  # a recipient named twice is told once
    if not unique:
        return 0
    outgoing = list(unique.values())
    org_id = org_id or _org_of(program_id) or getattr(sender, "org_id", None)
    texts = _Renderer(kind, org_id)
    first = texts.of(outgoing[0].context)
    message = Message(
        kind=kind,
        org_id=org_id,
        program_id=program_id,
        sender=sender if getattr(sender, "pk", None) else None,
        title=first.title[:200],
        body=first.body,
        sms=first.sms,
        url=outgoing[0].url[:300],
        key=key[:200],
        urgent=_urgent(kind),
        recipients=len(outgoing),
    )
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            message.save()
    except IntegrityError:
        if key:
            return 0  # the same key committed meanwhile: already sent
        raise
    now = timezone.now()
    shown = shows_at or now  # the inbox shows a notice from its created_at
    due = max(now, shown)
    chooser = preferences.Chooser(kind=kind, org_id=org_id)
    for start in range(0, len(outgoing), BATCH):
        batch = outgoing[start : start + BATCH]
        chooser.prefetch(item.to for item in batch)
        _write_batch(message, batch, texts, chooser, shown=shown, due=due)
    return len(outgoing)


class _Renderer:
    """The kind's texts looked up once (``templates.renderer``); each distinct context rendered
    once (``send`` shares one context among everybody)."""

    def __init__(self, kind: str, org_id: int | None):
        self.render = renderer(kind, org_id=org_id)
        self.cache: dict[int, tuple[Mapping, Rendered]] = {}

    def of(self, context: Mapping[str, object]) -> Rendered:
        hit = self.cache.get(id(context))
        if hit is None or hit[0] is not context:
            hit = (context, self.render(context))
            self.cache[id(context)] = hit
        return hit[1]


def _write_batch(
    message: Message, items: list[Outgoing], texts: _Renderer, chooser, *, shown, due
) -> None:
    cadre_of, accounts_of = _accounts(items)
    notices: list[dict] = []
    deliveries: list[dict] = []
    sent, pending = Delivery.Status.SENT, Delivery.Status.PENDING
    for item in items:
        to = item.to
        text = texts.of(item.context)
        url = item.url[:300]
        cadre_id = to.cadre_id if to.cadre_id is not None else cadre_of.get(to.user_id)
        if to.user_id is not None:
            if to.user_id not in cadre_of:
                continue  # no such account
            readers: list[int | None] = [to.user_id]
        else:
            readers = list(accounts_of.get(to.cadre_id, ())) or [None]
        title = text.title[:200]
        notices.extend(
            {
                "user_id": reader,
                "cadre_id": cadre_id,
                "kind": message.kind,
                "title": title,
                "body": text.body,
                "url": url,
                "created_at": shown,
                "message_id": message.pk,
            }
            for reader in readers
        )
        person = {"message_id": message.pk, "user_id": to.user_id, "cadre_id": cadre_id}
        # the in-app delivery: done when the inbox shows the notice
        deliveries.append(
            {**person, "channel": INAPP, "status": sent, "attempts": 1, "sent_at": shown}
        )
        own = title != message.title or text.body != message.body or url != message.url
        for code in chooser.channels(to):
            if code == INAPP:
                continue
            deliveries.append(
                {
                    **person,
                    "channel": code,
                    "status": pending,
                    "next_attempt_at": due,
                    "title": title if own else "",
                    "body": text.body if own else "",
                    "sms": text.sms if own or text.sms != message.sms else "",
                    "url": url if own else "",
                }
            )
    insert_rows(Notice, notices)
    insert_rows(Delivery, deliveries)


def insert_rows(model, rows: list[dict]) -> int:
    """Many rows in one statement, skipping the ORM's per-field work (the 50,000-recipient
    write): PostgreSQL ``COPY``, else one ``executemany``. Columns a row does not give take the
    field's default (NULL, "", 0 …), so fields added later keep working."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    ops = connection.ops
    adapt = {
        f.attname: ops.adapt_datetimefield_value
        for f in fields
        if f.get_internal_type() == "DateTimeField"
    }
    values = []
    for row in rows:
        line = []
        for f in fields:
            value = row.get(f.attname, defaults[f.attname])
            if value is not None and f.attname in adapt:
                value = adapt[f.attname](value)
            line.append(value)
        values.append(line)
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    return len(values)


def _accounts(items: list[Outgoing]) -> tuple[dict, dict[int, list[int]]]:
    """One query: each named account's cadre (``{user_id: cadre_id}``, only accounts that
    exist) and each named cadre's active accounts (``{cadre_id: [user_id, …]}``)."""
    user_ids = {i.to.user_id for i in items if i.to.user_id is not None}
    cadre_ids = {i.to.cadre_id for i in items if i.to.user_id is None}
    cadre_of: dict[int, int | None] = {}
    accounts_of: dict[int, list[int]] = {}
    if not user_ids and not cadre_ids:
        return cadre_of, accounts_of
    from django.db.models import Q

    users = get_user_model()._base_manager  # scope: recipients chosen by the calling service
    wanted = Q(pk__in=user_ids) if user_ids else Q(pk__in=[])
    if cadre_ids:
        wanted |= Q(cadre_id__in=cadre_ids, is_active=True)
    for pk, cadre_id, active in users.filter(wanted).values_list("pk", "cadre_id", "is_active"):
        if pk in user_ids:
            cadre_of[pk] = cadre_id
        if active and cadre_id in cadre_ids:
            accounts_of.setdefault(cadre_id, []).append(pk)
    return cadre_of, accounts_of


def _org_of(program_id: int | None) -> int | None:
    if program_id is None:
        return None
    program_model = Message._meta.get_field("program").related_model  # programs sits above us
    # scope: the calling service chose the program; only its org is read
    rows = program_model._base_manager.filter(pk=program_id)  # scope: see above
    return rows.values_list("org_id", flat=True).first()


def _urgent(kind: str) -> bool:
    """Whether ``kind`` goes out even in quiet hours (the kind's ``urgent`` flag)."""
    try:
        from ganxun.messaging import kinds
    except ImportError:  # the kinds registry is the templates work's
        return False
    registered = kinds.get(kind)
    return bool(getattr(registered, "urgent", False))
