"""Every write to accounts, roles and API tokens. One transaction each, audited."""

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.errors import AccountError
from ganxun.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
from ganxun.accounts.policies import can_create_trainee_accounts, can_manage_users
from ganxun.core.audit import audit_record, audit_record_many, diff
from ganxun.core.errors import PermissionDenied
from ganxun.orgs.models import Cadre, Org
from ganxun.orgs.policies import can_see_full_id_number

USER_FIELDS = ["username", "display_name", "org", "is_active"]


def _user_snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "org": str(user.org) if user.org_id else None,
        "is_active": user.is_active,
        "roles": sorted(user.role_grants.values_list("role", flat=True)) if user.pk else [],
    }


def _check_org(actor: User, org: Org | None) -> None:
    if org is None or actor.org is None or not org.is_within(actor.org):
        raise AccountError("org_out_of_scope", _("所选组织不在您的管理范围内。"), field="org")


def _check_roles(roles: list[str]) -> None:
    if not roles:
        raise AccountError("roles_required", _("至少选择一个角色。"), field="roles")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise AccountError(
            "unknown_role",
            _("未知角色：%(items)s") % {"items": "、".join(sorted(unknown))},
            field="roles",
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("weak_password", " ".join(exc.messages), field="password") from None


def generate_password(length: int = 12) -> str:
    """A random initial password that passes the house rules (all four character classes).
    Characters come from one read of the system's random source, unbiased (bytes past the last
    whole multiple of the alphabet's size are dropped): bulk jobs draw tens of thousands."""
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "@#%+=?!"]
    alphabet = "".join(pools).translate(str.maketrans("", "", "lIO0o1"))
    while True:
        limit = 256 - 256 % len(alphabet)
        chars = [alphabet[b % len(alphabet)] for b in secrets.token_bytes(4 * length) if b < limit]
        chars = chars[:length]
        if len(chars) == length and all(any(c in pool for c in chars) for pool in pools):
            return "".join(chars)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    display_name: str,
    org: Org,
    roles: list[str],
    password: str,
    cadre: Cadre | None = None,
    must_change_password: bool = True,
) -> User:
    if not can_manage_users(actor):
        raise PermissionDenied()
    _check_org(actor, org)
    _check_roles(roles)
    username = username.strip()
    if not username:
        raise AccountError("required", _("用户名不能为空。"), field="username")
    if User.objects.filter(username=username).exists():
        raise AccountError(
            "duplicate_username",
            _("用户名 %(username)s 已存在。") % {"username": username},
            field="username",
        )
    user = User(username=username, display_name=display_name.strip(), org=org, cadre=cadre)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change_password
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r) for r in sorted(set(roles)))
    audit_record(actor=actor, action="create", obj=user, changes=diff({}, _user_snapshot(user)))
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, display_name: str, org: Org, roles: list[str], is_active: bool
) -> User:
    """Change an account's roles, subtree or state. Role changes need an administrator."""
    if not can_manage_users(actor):
        raise PermissionDenied()
    _check_org(actor, user.org)
    _check_org(actor, org)
    _check_roles(roles)
    if user.pk == actor.pk and (Role.ADMIN not in roles or not is_active):
        raise AccountError("cannot_demote_self", _("不能取消自己的管理员角色或停用自己的账号。"))
    before = _user_snapshot(user)
    user.display_name, user.org, user.is_active = display_name.strip(), org, is_active
    user.save(update_fields=["display_name", "org", "is_active"])
    user.role_grants.exclude(role__in=roles).delete()
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=r) for r in set(roles) - set(before["roles"])]
    )
    user._roles_cache = None
    changes = diff(before, _user_snapshot(user))
    if changes:
        audit_record(actor=actor, action="update", obj=user, changes=changes)
    return user


@transaction.atomic
def user_reset_password(*, actor: User, user: User) -> str:
    """Give the account a new random initial password, to be changed at next login."""
    if not can_manage_users(actor):
        raise PermissionDenied()
    _check_org(actor, user.org)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="update", obj=user, changes={"password": ["***", "***"]})
    return password


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise AccountError("wrong_password", _("原密码不正确。"), field="old_password")
    if old_password == new_password:
        raise AccountError("same_password", _("新密码不能与原密码相同。"), field="new_password")
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.password_changed_at = timezone.now()
    actor.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(actor=actor, action="update", obj=actor, changes={"password": ["***", "***"]})


@transaction.atomic
@transaction.atomic
def api_token_create(
    *, actor: User, name: str, reads_id_numbers: bool = False
) -> tuple[ApiToken, str]:
    """Returns the token and its raw key; only the hash is kept, so the key is shown once.
    ``reads_id_numbers``: the token's answers carry full 身份证号 (each call audited)."""
    if not can_manage_users(actor):
        raise PermissionDenied()
    if reads_id_numbers and not can_see_full_id_number(actor):
        raise PermissionDenied("您无权查看完整身份证号，不能创建此类令牌。")
    if not name.strip():
        raise AccountError("required", _("请填写令牌用途。"), field="name")
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        prefix=raw[:8],
        key_hash=hash_token(raw),
        reads_id_numbers=reads_id_numbers,
    )
    audit_record(
        actor=actor,
        action="create",
        obj=token,
        changes={"name": [None, token.name], "reads_id_numbers": [None, reads_id_numbers]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="update", obj=token, changes={"revoked": [False, True]})


def trainee_username(cadre: Cadre) -> str:
    """A username that reveals nothing; trainees may also sign in with their ID number."""
    return f"xy{cadre.pk}"


def trainee_accounts_create(
    *, actor: User, cadres: list[Cadre], initial_passwords: dict[int, str]
) -> list[User]:
    """Trainee accounts for a batch of cadres, in one short transaction (a few hundred rows:
    well under a second, so pages and logins go on while a bulk job runs). ``initial_passwords``
    maps a cadre's id to its stored initial password (``passwords.encode_initial_password``:
    the fast keyed hash, upgraded to Argon2 at the first sign-in). Cadres that already have an
    account, or whose user name is taken, are skipped; returns the accounts created."""
    if not can_create_trainee_accounts(actor) or actor.org is None:
        raise PermissionDenied()
    if any(not cadre.unit.is_within(actor.org) for cadre in cadres):
        raise PermissionDenied()
    wanted = {trainee_username(c): c for c in cadres}
    built = [  # built before the transaction: on SQLite it holds the one write lock
        User(
            username=username,
            display_name=cadre.name,
            org_id=cadre.unit_id,
            cadre=cadre,
            must_change_password=True,
            password=initial_passwords[cadre.pk],
        )
        for username, cadre in wanted.items()
    ]
    with transaction.atomic():
        taken = User.objects.filter(Q(username__in=list(wanted)) | Q(cadre__in=cadres))
        skip_names, skip_cadres = set(), set()
        for username, cadre_id in taken.values_list("username", "cadre_id"):
            skip_names.add(username)
            skip_cadres.add(cadre_id)
        users = User.objects.bulk_create(
            u for u in built if u.username not in skip_names and u.cadre_id not in skip_cadres
        )
        RoleGrant.objects.bulk_create(RoleGrant(user=u, role=Role.TRAINEE) for u in users)
        audit_record_many(
            actor=actor,
            action="create",
            objs=users,
            changes=lambda u: diff(
                {},
                {
                    "username": u.username,
                    "display_name": u.display_name,
                    "org": str(u.cadre.unit),
                    "is_active": True,
                    "roles": [Role.TRAINEE],
                },
            ),
        )
    return users


@transaction.atomic
def trainee_account_create(*, actor: User, cadre: Cadre, password: str) -> User | None:
    """One trainee account for one cadre; None when the cadre already has one."""
    if not can_create_trainee_accounts(actor):
        raise PermissionDenied()
    if actor.org is None or not cadre.unit.is_within(actor.org):
        raise PermissionDenied()
    if (
        User.objects.filter(cadre=cadre).exists()
        or User.objects.filter(username=trainee_username(cadre)).exists()
    ):
        return None
    user = User(
        username=trainee_username(cadre),
        display_name=cadre.name,
        org=cadre.unit,
        cadre=cadre,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    RoleGrant.objects.create(user=user, role=Role.TRAINEE)
    audit_record(actor=actor, action="create", obj=user, changes=diff({}, _user_snapshot(user)))
    return user
