"""Users, their roles and the org subtree each account is scoped to; API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import connections, models, router
from django.utils.translation import gettext_lazy as _

from ganxun.core.encrypted import EncryptedTextField
from ganxun.core.roles import Role


class User(AbstractUser):
    """An account. ``org`` is the root of the subtree everything this user sees is cut to."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("所属组织"),
    )
    cadre = models.OneToOneField(
        "orgs.Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("对应干部"),
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    _roles_cache: frozenset[str] | None  # set by ``roles``; None forgets it (a type only, no field)

    class Meta:
        verbose_name = _("用户")

    def __str__(self):
        return self.display_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The role codes, loaded once per user object (i.e. once per request)."""
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(_role_codes(self)) if self.pk else frozenset()
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.roles.intersection(roles))

    def role_labels(self) -> list[str]:
        return [str(label) for value, label in Role.choices if value in self.roles]


def _role_codes(user: "User") -> list[str]:
    """``user.role_grants.values_list("role", flat=True)`` as a statement written once: every
    signed-in request reads the roles (idle timeout, 2FA, navigation), and the ORM's compiling
    cost more than the query (issue 19)."""
    db = router.db_for_read(RoleGrant, instance=user)
    table = connections[db].ops.quote_name(RoleGrant._meta.db_table)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT role FROM {table} WHERE user_id = %s", [user.pk])
        return [role for (role,) in cursor.fetchall()]


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration; only its hash is stored, the raw value shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The one scope: answers carry full 身份证号 (each call audited). Off, they are masked
    # like every page; only an account that may see full numbers can create such a token.
    reads_id_numbers = models.BooleanField(_("可读取完整身份证号"), default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        return "gx_" + secrets.token_urlsafe(30)


class TwoFactor(models.Model):
    """A user's TOTP authenticator (two-factor login, accounts/twofactor.py). The secret is
    encrypted at rest; a code is accepted once (``last_step``)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("双因素认证")

    def __str__(self):
        return f"{self.user} · TOTP"


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost; only its SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")

    def __str__(self):
        return f"{self.user} · recovery code"
