"""Two-factor login (TOTP): enrolment, the second step after the password, recovery codes.

Administrators must use it (settings.GANXUN_2FA_REQUIRED_ROLES): after the password they are
sent to enrolment and can do nothing else until a code from their app is confirmed. Where it is
not required, GANXUN_2FA_OFFERED_ROLES are offered it on the home page. Everyone else may enrol.
Recovery codes are shown once and kept as SHA-256 hashes; each works once.
Every enrolment, reset and failed code is audited.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts import totp
from ganxun.accounts.errors import AccountError
from ganxun.accounts.models import RecoveryCode, TwoFactor, User
from ganxun.accounts.policies import can_manage_users
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i to misread


def is_required(user) -> bool:
    return user.has_role(*settings.GANXUN_2FA_REQUIRED_ROLES)


def is_offered(user) -> bool:
    """Enrolment is suggested, not forced: a role in GANXUN_2FA_OFFERED_ROLES where it is not
    required (the embedded demo's administrators), not yet enrolled."""
    return (
        not is_required(user)
        and user.has_role(*settings.GANXUN_2FA_OFFERED_ROLES)
        and not is_enabled(user)
    )


def is_enabled(user) -> bool:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _hash_code(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))  # about 50 bits
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def two_factor_begin(*, actor) -> TwoFactor:
    """A fresh secret for enrolment; replaces an unconfirmed one, never a confirmed one."""
    device = TwoFactor.objects.select_for_update().filter(user=actor).first()
    if device and device.confirmed_at:
        raise AccountError("already_enabled", _("您已启用双因素认证。"))
    if device is None:
        device = TwoFactor(user=actor)
    device.secret, device.last_step = totp.new_secret(), 0
    device.save()
    return device


@transaction.atomic
def two_factor_confirm(*, actor, code: str) -> list[str]:
    """The first right code turns the authenticator on; returns the recovery codes (shown once)."""
    device = TwoFactor.objects.select_for_update().filter(user=actor).first()
    if device is None or device.confirmed_at:
        raise AccountError("not_started", _("请先扫描二维码开始绑定。"))
    step = totp.matching_step(device.secret, code)
    if step is None:
        raise AccountError("wrong_code", _("验证码不正确，请核对手机时间后重试。"), field="code")
    device.confirmed_at, device.last_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    codes = _replace_recovery_codes(actor)
    audit_record(actor=actor, action="update", obj=actor, changes={"two_factor": [False, True]})
    return codes


def _replace_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash_code(c)) for c in codes
    )
    return codes


def two_factor_verify(*, user: User, code: str) -> str:
    """Check the second factor at login: a TOTP code (each accepted once) or an unused recovery
    code. Returns "totp" or "recovery"; audits the failure and raises AccountError otherwise."""
    factor = _check_code(user, code)
    if factor is None:
        audit_record(
            actor=None, action="login_failed", obj=user, changes={"factor": [None, "totp"]}
        )
        raise AccountError("wrong_code", _("验证码不正确。"), field="code")
    return factor


@transaction.atomic
def _check_code(user: User, code: str) -> str | None:
    device = (
        TwoFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        return None
    step = totp.matching_step(device.secret, code, after=device.last_step)
    if step is not None:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return "totp"
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=_hash_code(code), used_at__isnull=True)
        .first()
    )
    if recovery is None:
        return None
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    audit_record(actor=user, action="update", obj=user, changes={"recovery_code_used": [None, 1]})
    return "recovery"


@transaction.atomic
def two_factor_disable(*, actor, user: User) -> None:
    """An administrator resets a user's authenticator (lost phone); users who are not required
    to use one may switch their own off. Audited either way."""
    own = actor.pk == user.pk
    if own and is_required(user):
        raise AccountError("required", _("管理员账号必须启用双因素认证，不能关闭。"))
    if not own:
        if not can_manage_users(actor):
            raise PermissionDenied()
        if actor.org is None or user.org is None or not user.org.is_within(actor.org):
            raise PermissionDenied()
    TwoFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=actor, action="update", obj=user, changes={"two_factor": [True, False]})


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
