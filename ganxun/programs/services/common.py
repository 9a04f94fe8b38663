"""Checks and helpers the programs services share."""

from typing import TYPE_CHECKING

from ganxun.core import services as core_services
from ganxun.core.errors import PermissionDenied
from ganxun.core.services import full_snapshot, link_names, record, set_links
from ganxun.programs import policies
from ganxun.programs.errors import ProgramError

if TYPE_CHECKING:
    from ganxun.accounts.models import User

# Shared helpers re-exported so the app's services import everything from one place.
__all__ = ["clean_text", "full_snapshot", "link_names", "record", "require_visible", "set_links"]


def require_manager(actor: "User", program) -> None:
    if not policies.can_manage_program(actor, program):
        raise PermissionDenied()


def clean_text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=ProgramError, **kwargs)


def require_visible(actor: "User", model, objs, **kwargs) -> None:
    core_services.require_visible(actor, model, objs, error=ProgramError, **kwargs)
