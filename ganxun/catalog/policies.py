"""Who may do what in the catalogue. Pages, API and jobs all ask these functions."""

from ganxun.accounts.models import Role, User

CATALOG_VIEWERS = (Role.ADMIN, Role.ORGANIZER, Role.REVIEWER, Role.LECTURER)
CATALOG_EDITORS = (Role.ADMIN, Role.ORGANIZER)


def can_view_catalog(user: User) -> bool:
    return user.has_role(*CATALOG_VIEWERS)


def can_edit_catalog(user: User) -> bool:
    """Edit rights in general; each object also needs ``can_edit_resource``."""
    return user.has_role(*CATALOG_EDITORS)


def manages_org(user: User, org) -> bool:
    """The org lies in the user's subtree: resources shared down from above stay read-only."""
    return user.org is not None and org is not None and org.path.startswith(user.org.path)


def can_edit_resource(user: User, resource) -> bool:
    return can_edit_catalog(user) and manages_org(user, resource.owner)


def can_propose(user: User) -> bool:
    """Department and unit contacts propose courses to calls from above (课程申报)."""
    return user.has_role(Role.UNIT_CONTACT, Role.ADMIN)


def can_see_calls(user: User) -> bool:
    return user.has_role(Role.ADMIN, Role.ORGANIZER, Role.REVIEWER, Role.UNIT_CONTACT)


def can_manage_call(user: User, call) -> bool:
    return can_edit_catalog(user) and manages_org(user, call.owner)


def is_reviewer_of(user: User, call, reviewer_ids: set[int] | None = None) -> bool:
    ids = reviewer_ids if reviewer_ids is not None else {u.pk for u in call.reviewers.all()}
    return user.is_active and user.pk in ids


def can_manage_proposal(user: User, proposal) -> bool:
    """The proposing unit's contacts edit or withdraw it while it waits for review."""
    return can_propose(user) and manages_org(user, proposal.unit)
