import base64
import functools
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

CLASSES = (
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"\d"), "数字"),
    (re.compile(r"[^a-zA-Z\d]"), "符号"),
)


class CharacterClassValidator:
    """At least ``min_classes`` of: lowercase, uppercase, digits, symbols (等保 complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for pattern, _label in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {
            "n": self.min_classes
        }


class InitialPasswordHasher(BasePasswordHasher):
    """Initial passwords of accounts opened in bulk, hashed lazily.

    A slow hash (Argon2, ~0.17 s here) per account made opening a county's accounts take
    minutes and a province's a day. An initial password is not chosen by a person: it is 12
    random characters from 64 (``generate_password``, about 70 bits), so a fast keyed hash is as
    safe as Argon2 would be — there is no dictionary to try, and without the server's
    ``SECRET_KEY`` (never stored in the database) the hash cannot even be tested. The hash is
    HMAC-SHA256 keyed with ``SECRET_KEY`` (then its fallbacks) over a random salt and the password.

    Django re-hashes with the preferred hasher (Argon2) at the first successful sign-in
    (``must_update`` is always true), and the account must change its password right then
    (``must_change_password``). ``set_password`` never uses this hasher: only
    ``encode_initial_password`` does, for generated passwords.
    """

    algorithm = "gx_initial"

    def salt(self):
        return secrets.token_urlsafe(16)

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        return f"{self.algorithm}${salt}${self._digest(password, salt, settings.SECRET_KEY)}"

    def _digest(self, password: str, salt: str, secret) -> str:
        mac = hmac.new(_key(force_str(secret)), f"{salt}${password}".encode(), hashlib.sha256)
        return base64.b64encode(mac.digest()).decode("ascii").rstrip("=")

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(
            hmac.compare_digest(self._digest(password, decoded["salt"], s), decoded["hash"])
            for s in secrets_
        )

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded):
        return True  # Argon2 from the first sign-in on

    def harden_runtime(self, password, encoded):
        pass


@functools.lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"ganxun.initial-password:{secret}".encode()).digest()


_INITIAL = InitialPasswordHasher()


def encode_initial_password(password: str) -> str:
    """The stored form of a generated initial password (microseconds, not Argon2's 0.17 s)."""
    if len(password) < 12:
        raise ValueError("initial passwords are generated, at least 12 characters")
    return _INITIAL.encode(password, _INITIAL.salt())


def is_initial_password(encoded: str) -> bool:
    return encoded.startswith(f"{InitialPasswordHasher.algorithm}$")


def initial_password_matches(password: str, encoded: str) -> bool:
    return is_initial_password(encoded) and _INITIAL.verify(password, encoded)
