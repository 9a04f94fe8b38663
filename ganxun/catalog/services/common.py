"""Checks and helpers every catalogue service shares."""

from django.db import models

from ganxun.catalog import policies
from ganxun.catalog.errors import CatalogError
from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import unscoped


def require_editor(actor) -> None:
    if not policies.can_edit_catalog(actor):
        raise PermissionDenied()


def require_editable(actor, resource) -> None:
    """Resources shared down from above are read-only here; only their owner's side edits."""
    if not policies.can_edit_resource(actor, resource):
        raise CatalogError(
            "not_owner",
            f"“{resource}”由{resource.owner.name}维护，您只能查看和使用，不能修改。",
        )


def clean_text(value, *, field: str, label: str, required: bool = True, max_length: int = 0):
    text = str(value or "").strip()
    if required and not text:
        raise CatalogError("required", f"{label}不能为空。", field=field)
    if max_length and len(text) > max_length:
        raise CatalogError(
            "too_long", f"{label}最多 {max_length} 个字（现有 {len(text)} 个）。", field=field
        )
    return text


def require_visible(actor, model, objs, *, field: str, label: str) -> None:
    """Linked objects (lecturers, themes…) must be ones the actor can see."""
    ids = {o.pk for o in objs if o is not None}
    if not ids:
        return
    seen = set(model.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if seen != ids:
        raise CatalogError("not_visible", f"所选{label}不在您可使用的范围内。", field=field)


def set_links(obj: models.Model, name: str, targets) -> None:
    """Replace an M2M's targets. The targets were authorised already (``require_visible``);
    the related manager is scoped, so the write itself runs unscoped."""
    with unscoped():
        getattr(obj, name).set(targets)


def link_names(obj: models.Model, name: str) -> list[str]:
    """The names an M2M points to, for the audit log (read through the plain through table)."""
    field = obj._meta.get_field(name)
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    target_model = field.related_model
    ids = through.objects.filter(**{source: obj.pk}).values_list(target, flat=True)
    return sorted(str(o) for o in target_model._base_manager.filter(pk__in=list(ids)))


def full_snapshot(obj, fields: list[str], links: tuple[str, ...] = ()) -> dict:
    snap = snapshot(obj, fields)
    for name in links:
        snap[name] = link_names(obj, name)
    return snap


def record(actor, action: str, obj, before: dict, after: dict) -> None:
    changes = diff(before, after)
    if changes or action != "update":
        audit_record(actor=actor, action=action, obj=obj, changes=changes)


def resource_share(*, actor, resource, shared: bool):
    """Publish a resource upward (推荐上级共享) so the parent's whole subtree can use it."""
    from django.db import transaction

    with transaction.atomic():
        require_editor(actor)
        require_editable(actor, resource)
        if shared and resource.owner.parent_id is None:
            raise CatalogError(
                "no_parent", f"{resource.owner.name}已是最高一级，无需推荐上级共享。"
            )
        before = snapshot(resource, ["shared_up"])
        resource.shared_up = shared
        resource.save(update_fields=["shared_up", "updated_at"])
        record(actor, "update", resource, before, snapshot(resource, ["shared_up"]))
    return resource
