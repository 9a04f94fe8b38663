from django.db.models import Count, Prefetch, Q, QuerySet

from ganxun.accounts.models import Role, RoleGrant, User
from ganxun.core.errors import NotFound
from ganxun.orgs.models import Org


def users_visible_to(actor: User) -> QuerySet[User]:
    """Accounts whose subtree lies inside the actor's (the User manager stays Django's own)."""
    if actor.org is None:
        return User.objects.none()
    return User.objects.filter(org__path__startswith=actor.org.path)


def user_search(actor: User, *, q: str = "", role: str = "") -> QuerySet[User]:
    qs = (
        users_visible_to(actor)
        .select_related("org")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__contains=q))
    if role:
        qs = qs.filter(role_grants__role=role)
    return qs.order_by("org__path", "username")


def get_user_for(actor: User, pk) -> User:
    user = users_visible_to(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if user is None:
        raise NotFound()
    return user


def role_counts(actor: User) -> dict[str, int]:
    rows = (
        RoleGrant.objects.filter(user__in=users_visible_to(actor), user__is_active=True)
        .values_list("role")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def org_count(actor: User) -> int:
    return Org.objects.visible_to(actor).filter(is_active=True).count()


def unit_contacts(org_ids) -> dict[int, list[User]]:
    """The active unit contacts (单位联络员) of each of these units — users with the role whose
    org is the unit itself — in one query, keyed by org id."""
    contacts: dict[int, list[User]] = {}
    rows = (
        User.objects.filter(
            is_active=True, org_id__in=list(org_ids), role_grants__role=Role.UNIT_CONTACT
        )
        .distinct()
        .order_by("org_id", "pk")
    )
    for user in rows:
        assert user.org_id is not None  # filtered on org_id__in
        contacts.setdefault(user.org_id, []).append(user)
    return contacts
