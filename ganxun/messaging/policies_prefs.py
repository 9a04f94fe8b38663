"""Who may edit notice templates, the channels an org allows, and work-app bindings.

- Templates: administrators and organizers, for their own org (an override applies to the
  org's whole subtree, so a city administrator words the city's notices and a county's
  administrator or a training center's organizer may word their own part differently).
- Channel policy: administrators, for orgs in their subtree.
- Work-app bindings: administrators, for accounts and cadres in their subtree.
- Preferences: every signed-in person, for themselves."""

from typing import TYPE_CHECKING

from ganxun.core.roles import Role

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.orgs.models import Org


def _within(actor: "User", org: "Org | None") -> bool:
    root = actor.org
    return root is not None and org is not None and org.path.startswith(root.path)


def can_edit_templates(actor: "User") -> bool:
    return actor.org_id is not None and actor.has_role(Role.ADMIN, Role.ORGANIZER)


def can_edit_templates_for(actor: "User", org: "Org") -> bool:
    return can_edit_templates(actor) and _within(actor, org)


def can_set_channel_policy(actor: "User", org: "Org | None" = None) -> bool:
    if actor.org_id is None or not actor.has_role(Role.ADMIN):
        return False
    return org is None or _within(actor, org)


def can_bind_work_app(actor: "User", org: "Org | None") -> bool:
    """``org``: the account's org or the cadre's unit."""
    return actor.has_role(Role.ADMIN) and _within(actor, org)


def can_choose_channels(actor: "User") -> bool:
    return bool(actor.is_authenticated and actor.is_active)
