"""Time-based one-time passwords, RFC 6238 (HOTP of RFC 4226 over 30-second steps).

What authenticator apps (腾讯身份验证器, Google/Microsoft Authenticator, FreeOTP) expect:
HMAC-SHA1, 6 digits, 30 s, a base32 secret of 160 bits. Written here in a few lines instead of a
dependency; tests check it against the RFC's own test vectors.
"""

import base64
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 recommends at least 128)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def _key(secret_b32: str) -> bytes:
    text = secret_b32.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    mac = hmac.digest(key, struct.pack(">Q", counter), digest)
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret_b32: str, at: float | None = None) -> str:
    return hotp(_key(secret_b32), step_at(at))


def matching_step(secret_b32: str, code: str, *, at: float | None = None, after: int = 0):
    """The time step whose code ``code`` is (now, or one step either side for clock drift), or
    None. Steps up to ``after`` are refused, so each code is accepted once (no replay)."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key, now = _key(secret_b32), step_at(at)
    for step in (now, now - 1, now + 1):
        if step > after and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret_b32: str, *, account: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret_b32, "issuer": issuer, "digits": DIGITS, "period": 30})
    return f"otpauth://totp/{label}?{query}"
