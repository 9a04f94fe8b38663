"""The audit log: who changed what, when, from where — append-only.

Services call ``audit_record`` inside their transaction, so an entry exists exactly when the change
it describes was committed.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models

from ganxun.core.context import current_request_info
from ganxun.core.models import AuditEntry

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

SENSITIVE_FIELDS = {"password", "token", "key_hash"}


def _plain(value):
    """A JSON-friendly rendering of a field value as it should appear in the log."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """Fields whose value changed, as {field: [old, new]}; sensitive values are masked."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = ["***", "***"] if name in SENSITIVE_FIELDS else [old, new]
    return changes


def audit_record(
    *,
    actor: "User | None",
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    info = current_request_info()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        ip=info.ip,
        channel=info.channel,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes or {},
    )


def audit_record_many(*, actor: "User | None", action: str, objs, changes=None) -> None:
    """One entry per object in one INSERT (bulk writes: a batch of accounts); ``changes`` is a
    function of the object."""
    info = current_request_info()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "system",
            ip=info.ip,
            channel=info.channel,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=(changes(obj) if changes else {}) or {},
        )
        for obj in objs
    )
