"""Checks and helpers every catalogue service shares."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ganxun.catalog import policies
from ganxun.catalog.errors import CatalogError
from ganxun.core import services as core_services
from ganxun.core.audit import snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.services import full_snapshot, link_names, record, set_links

if TYPE_CHECKING:
    from ganxun.accounts.models import User

# Shared helpers re-exported so the app's services import everything from one place.
__all__ = ["clean_text", "full_snapshot", "link_names", "record", "require_visible", "set_links"]


def require_editor(actor: "User") -> None:
    if not policies.can_edit_catalog(actor):
        raise PermissionDenied()


def require_editable(actor: "User", resource) -> None:
    """Resources shared down from above are read-only here; only their owner's side edits."""
    if not policies.can_edit_resource(actor, resource):
        raise CatalogError(
            "not_owner",
            _("“%(resource)s”由%(owner)s维护，您只能查看和使用，不能修改。")
            % {"resource": resource, "owner": resource.owner.name},
        )


def resource_share(*, actor: "User", resource, shared: bool):
    """Publish a resource upward (推荐上级共享) so the parent's whole subtree can use it."""
    from django.db import transaction

    with transaction.atomic():
        require_editor(actor)
        require_editable(actor, resource)
        if shared and resource.owner.parent_id is None:
            raise CatalogError(
                "no_parent",
                _("%(owner)s已是最高一级，无需推荐上级共享。") % {"owner": resource.owner.name},
            )
        before = snapshot(resource, ["shared_up"])
        resource.shared_up = shared
        resource.save(update_fields=["shared_up", "updated_at"])
        record(actor, "update", resource, before, snapshot(resource, ["shared_up"]))
    return resource


def clean_text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=CatalogError, **kwargs)


def require_visible(actor: "User", model, objs, **kwargs) -> None:
    core_services.require_visible(actor, model, objs, error=CatalogError, **kwargs)
