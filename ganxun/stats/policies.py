"""Who may read the statistics: the organization department (admin) and the training
organizers, each for the subtree of their own org."""

from ganxun.accounts.models import Role, User

STATS_ROLES = (Role.ADMIN, Role.ORGANIZER)


def can_view_stats(user: User) -> bool:
    return user.has_role(*STATS_ROLES)


def can_view_node(user: User, org) -> bool:
    return (
        can_view_stats(user)
        and user.org is not None
        and org is not None
        and org.path.startswith(user.org.path)
    )
