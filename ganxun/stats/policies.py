"""Who may read the statistics: the organization department (admin) and the training
organizers, each for the subtree of their own org."""

from ganxun.accounts.models import Role

STATS_ROLES = (Role.ADMIN, Role.ORGANIZER)


def can_view_stats(user) -> bool:
    return user.has_role(*STATS_ROLES)


def can_view_node(user, org) -> bool:
    return (
        can_view_stats(user)
        and user.org is not None
        and org is not None
        and org.path.startswith(user.org.path)
    )
