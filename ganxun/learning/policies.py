"""Who may do what with online courses. Pages, API and tasks all ask these functions."""

from ganxun.accounts.models import User
from ganxun.catalog import policies as catalog_policies
from ganxun.credits import policies as credits_policies


def can_manage_courses(user: User) -> bool:
    """Build online courses: the catalogue's editors (administrators, teaching organizers)."""
    return catalog_policies.can_edit_catalog(user)


def can_edit_course(user: User, course) -> bool:
    """Only the owner's side edits; courses shared down from above are used as they are."""
    return catalog_policies.can_edit_resource(user, course)


def can_learn(user: User) -> bool:
    """Anyone whose account is linked to a roster cadre takes courses and earns 学时."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "cadre_id", None))


def can_open_learning(user: User) -> bool:
    return can_learn(user) or can_manage_courses(user)


def can_view_integrity(user: User) -> bool:
    """The spot-check list of the user's subtree: those who follow its hours (学时达标)."""
    return credits_policies.can_view_compliance(user)
