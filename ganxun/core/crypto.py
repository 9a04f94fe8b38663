"""Field encryption at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

One master key, ``settings.GANXUN_FIELD_KEY`` (32 bytes, base64), gives two sub-keys by HKDF:
one encrypts, one computes the blind index that exact lookups use. A stolen database dump thus
shows neither ID numbers nor phones, and the index cannot be reversed by hashing every possible
ID number (about 10^11 of them: trivial for a plain SHA-256, impossible without the key).

A token is ``gx1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. The associated data is the
column (``orgs.cadre.id_number``), so a value copied into another column does not decrypt.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "gx1:"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A stored value could not be decrypted: wrong key, or the value was tampered with."""


class _Keys:
    def __init__(self, master: bytes):
        self.aead = AESGCM(_derive(master, b"ganxun field encryption v1"))
        self.mac = _derive(master, b"ganxun blind index v1")
        self.kid = hashlib.sha256(b"kid" + self.mac).hexdigest()[:8]


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


def parse_master_key(text: str) -> bytes:
    """The configured key as bytes; refuses anything but 32 random bytes in base64."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "GANXUN_FIELD_KEY must be 32 random bytes in base64 "
            "(generate one with `ganxun field-key`)"
        )
    return raw


def new_master_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=4)
def _keys_for(text: str) -> _Keys:
    return _Keys(parse_master_key(text))


def _keys() -> _Keys:
    # looked up per call (a dict hit), so override_settings in tests switches keys cleanly
    return _keys_for(settings.GANXUN_FIELD_KEY)


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(plain: str, *, context: str) -> str:
    keys = _keys()
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys.aead.encrypt(nonce, plain.encode(), context.encode())
    return f"{PREFIX}{keys.kid}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    keys = _keys()
    try:
        kid, body = token[len(PREFIX) :].split(":", 1)
        raw = base64.b64decode(body, validate=True)
    except ValueError:
        raise DecryptionError("not an encrypted field value") from None
    if kid != keys.kid:
        raise DecryptionError(f"encrypted with key {kid}, but the configured key is {keys.kid}")
    try:
        plain = keys.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise DecryptionError("the value was altered or belongs to another column") from None
    return plain.decode()


def blind_index(value: str, *, context: str) -> str:
    """A keyed hash for exact lookups (hex, 64 characters); equal values give equal hashes."""
    message = context.encode() + b"\x00" + value.encode()
    return hmac.digest(_keys().mac, message, "sha256").hex()


def mask_phone(value: str) -> str:
    """138****8000: the carrier prefix and the last four stay visible."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
