"""Create forms are idempotent on a submission key (issue 25, item 11).

The form helper (templates/includes/form.html, ``{% submission_key %}``) renders a fresh random
key as a hidden field. ``submit_once`` claims it in the same transaction as the service's write:
the key is a primary key, so of ten identical posts, simultaneous or not, one inserts it and
writes; the others wait for that transaction (PostgreSQL blocks on the uncommitted key, SQLite
serialises writers), then find the key taken and get the first result back instead of writing
again. A refused write (DomainError) rolls the claim back with it, so the corrected form can be
sent again with the same key.

A post without a key (the API, tests, scripts) is not deduplicated: the key only protects
people from their own double clicks and retries. So a claimed key need only outlive that window:
``purge_submission_keys`` drops keys older than ``GANXUN_SUBMISSION_KEY_DAYS`` (default 1), run
hourly by the worker's heartbeat (ops/worker.py) and by ``ganxun purge-submission-keys``.
"""

import dataclasses
import uuid
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.errors import DomainError
from ganxun.core.models import SubmissionKey

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

FIELD = "submission_key"


def new_key() -> str:
    return str(uuid.uuid4())


def posted_key(request) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    raw = request.POST.get(FIELD, "")
    try:
        return uuid.UUID(raw)
    except (TypeError, ValueError):
        return None


class DuplicateSubmission(DomainError):
    """The submission was already made and its result cannot be shown again."""


def submit_once(request, save):
    """``save()`` at most once per submission key; a repeat returns what the first one returned
    (the same model instance, fetched again). ``save`` must run its writes in this thread's
    database transaction (services do)."""
    key = posted_key(request)
    if key is None:
        return save()
    actor = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(key=key, actor=actor, path=request.path[:300])
        except IntegrityError:
            return _first_result(key, actor, request.path[:300])
        result = save()
        obj, claim.wrapper = _made_object(result)
        if obj is not None:
            claim.object_type = obj._meta.label_lower
            claim.object_id = str(obj.pk)
            claim.save(update_fields=["object_type", "object_id", "wrapper"])
    return result


def _made_object(result) -> tuple[models.Model | None, str]:
    """The model instance a service returned, directly or as the first field of a dataclass
    (``Saved(expense=…, warning=…)``), and how to wrap it again."""
    if isinstance(result, models.Model):
        return (result, "") if result.pk is not None else (None, "")
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            value = getattr(result, field.name)
            if isinstance(value, models.Model) and value.pk is not None:
                kind = type(result)
                return value, f"{kind.__module__}:{kind.__qualname__}:{field.name}"
    return None, ""


def _rewrap(obj, wrapper: str):
    if not wrapper:
        return obj
    module, qualname, field = wrapper.split(":")
    kind: Any = import_module(module)
    for part in qualname.split("."):
        kind = getattr(kind, part)
    try:
        return kind(**{field: obj})  # the other fields take their defaults (no warning twice)
    except TypeError:
        return None


def _first_result(key, actor: "User | None", path):
    claim = SubmissionKey.objects.filter(key=key).first()
    if claim is None or claim.actor_id != getattr(actor, "pk", None) or claim.path != path:
        # a key copied to another form or user: refuse rather than show somebody else's result
        raise DuplicateSubmission("submission_key_reused", _("表单已失效，请刷新页面后重新提交。"))
    if claim.object_type:
        model = apps.get_model(claim.object_type)
        # scope: the object this actor's own earlier submission created (the claim is theirs)
        found = model._base_manager.filter(pk=claim.object_id).first()
        result = _rewrap(found, claim.wrapper) if found is not None else None
        if result is not None:
            return result
    raise DuplicateSubmission("duplicate_submission", _("该表单已提交过，请勿重复提交。"))


def key_lifetime() -> timedelta:
    return timedelta(days=max(1, getattr(settings, "GANXUN_SUBMISSION_KEY_DAYS", 1)))


def purge_submission_keys(*, older_than: timedelta | None = None, dry_run: bool = False) -> int:
    """Delete the keys claimed longer ago than ``older_than`` (default: the setting); returns how
    many were (or would be) deleted. A form posted again after that is a new submission — by then
    it is a deliberate resend, not a double click or a network retry."""
    cutoff = timezone.now() - (older_than or key_lifetime())
    old = SubmissionKey.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted
