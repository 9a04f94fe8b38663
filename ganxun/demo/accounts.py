"""The demo logins: created with the city, and listed again whenever ``ganxun demo`` runs."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from ganxun.accounts.models import RoleGrant, User
from ganxun.core.scoping import unscoped
from ganxun.demo.plan import DEMO_ACCOUNTS, AccountSpec
from ganxun.orgs.models import Org

# One shared password, printed at the end: 11 characters with all four character classes.
DEMO_PASSWORD = "Ganxun@2026"
DEMO_USERNAMES = tuple(DEMO_ACCOUNTS)


@dataclass(frozen=True)
class DemoLogin:
    label: str
    username: str
    password: str
    scope: str
    cadre_name: str = ""
    id_number: str = ""
    two_factor: str = ""  # "required" at the first login, "offered" on the home page, or ""


def create_accounts(specs: list[AccountSpec]) -> list[User]:
    """Save the demo users with their role grants. No forced password change: a demo is for
    clicking around, and the password is printed for everybody anyway."""
    # Hash once for all of them: argon2 costs about a quarter of a second per hash here, and a
    # per-account salt protects nothing when the password itself is printed.
    encoded = make_password(DEMO_PASSWORD)
    users = []
    for spec in specs:
        user = User(
            username=spec.username,
            display_name=spec.display_name,
            org_id=spec.org_pk,
            cadre_id=spec.cadre_pk,
            must_change_password=False,
        )
        validate_password(DEMO_PASSWORD, user)
        user.password = encoded
        user.save()
        users.append(user)
    RoleGrant.objects.bulk_create(
        RoleGrant(user=user, role=spec.role) for user, spec in zip(users, specs, strict=True)
    )
    return users


def demo_logins() -> list[DemoLogin]:
    """The demo accounts that exist now, in the table's order, with their visible scope spelled
    out as the path of names (甬江市 / 东江县 / 东湖镇). Two queries whatever happens."""
    with unscoped():
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES)
            .select_related("org", "cadre")
            .prefetch_related("role_grants")
        }
        path_ids = {pk for u in users.values() if u.org for pk in _path_ids(u.org)}
        org_names = dict(Org.objects.filter(pk__in=path_ids).values_list("pk", "name"))
    logins = []
    for username, label in DEMO_ACCOUNTS.items():
        user = users.get(username)
        if user is None:
            continue
        scope = " / ".join(org_names[pk] for pk in _path_ids(user.org)) if user.org else "—"
        logins.append(
            DemoLogin(
                label=label,
                username=username,
                password=DEMO_PASSWORD,
                scope=scope,
                cadre_name=user.cadre.name if user.cadre else "",
                id_number=user.cadre.id_number if user.cadre else "",
                two_factor=_two_factor(user),
            )
        )
    return logins


def _two_factor(user: User) -> str:
    """What the settings ask of this account at sign-in (accounts/twofactor.py's rule)."""
    roles = {grant.role for grant in user.role_grants.all()}
    if roles & set(settings.GANXUN_2FA_REQUIRED_ROLES):
        return "required"
    if roles & set(settings.GANXUN_2FA_OFFERED_ROLES):
        return "offered"
    return ""


def _path_ids(org: Org) -> list[int]:
    return [*org.ancestor_ids, org.pk]
