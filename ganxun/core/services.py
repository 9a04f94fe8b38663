"""Checks and audit helpers that every app's services share.

Each app binds the checks to its own DomainError subclass (see catalog/services/common.py), so
refusals keep the app's error type while the rule is written once.
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import DomainError
from ganxun.core.scoping import unscoped

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User


def clean_text(
    value,
    *,
    error: type[DomainError],
    field: str,
    label: str,
    required: bool = True,
    max_length: int = 0,
) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise error("required", _("%(label)s不能为空。") % {"label": label}, field=field)
    if max_length and len(text) > max_length:
        raise error(
            "too_long",
            _("%(label)s最多 %(max_length)s 个字（现有 %(n_text)s 个）。")
            % {"label": label, "max_length": max_length, "n_text": len(text)},
            field=field,
        )
    return text


def require_visible(
    actor: "User", model, objs, *, error: type[DomainError], field: str, label: str
) -> None:
    """Linked objects (lecturers, themes, classrooms…) must be ones the actor can see."""
    ids = {o.pk for o in objs if o is not None}
    if not ids:
        return
    seen = set(model.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise error(
            "not_visible", _("所选%(label)s不在您可使用的范围内。") % {"label": label}, field=field
        )


def set_links(obj: models.Model, name: str, targets) -> None:
    """Replace an M2M's targets. They were authorised already (``require_visible``); the
    related manager is scoped, so the write itself runs unscoped."""
    with unscoped():
        getattr(obj, name).set(targets)


def link_names(obj: models.Model, name: str) -> list[str]:
    """The names an M2M points to, for the audit log (read through the plain through table)."""
    field = obj._meta.get_field(name)
    assert isinstance(field, models.ManyToManyField)
    through: Any = field.remote_field.through  # the auto-created model, not scoped
    ids = through.objects.filter(**{field.m2m_field_name(): obj.pk}).values_list(
        field.m2m_reverse_field_name(), flat=True
    )
    return sorted(str(o) for o in field.related_model._base_manager.filter(pk__in=list(ids)))


def full_snapshot(obj, fields: list[str], links: tuple[str, ...] = ()) -> dict:
    snap = snapshot(obj, fields)
    for name in links:
        snap[name] = link_names(obj, name)
    return snap


def record(actor: "User", action: str, obj, before: dict, after: dict) -> None:
    """Audit a change; an update that changed nothing leaves no entry."""
    changes = diff(before, after)
    if changes or action != "update":
        audit_record(actor=actor, action=action, obj=obj, changes=changes)
