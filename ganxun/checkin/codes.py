"""The rotating check-in code shown on the projector: a signed (session, venue, time slot).

The code changes every ``SLOT_SECONDS``. A scan is accepted in the slot it was shown and in the
next one, so a trainee who scans just before the code turns over still gets in, while a photo
forwarded to somebody outside the room is refused a minute later (code_expired). The signature
(django.core.signing, keyed by SECRET_KEY) makes a hand-made code fail (code_invalid).
"""

import time
from dataclasses import dataclass

import segno
from django.core import signing
from django.utils.translation import gettext as _

from ganxun.checkin.errors import CheckinError

SLOT_SECONDS = 30
SALT = "ganxun.checkin.qr"
_signer = signing.Signer(salt=SALT)


@dataclass(frozen=True)
class ScanCode:
    session_id: int
    venue_id: int
    slot: int


def current_slot(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // SLOT_SECONDS)


def seconds_left(now: float | None = None) -> float:
    """Until the code on the projector changes."""
    now = time.time() if now is None else now
    return SLOT_SECONDS - (now % SLOT_SECONDS)


def make_code(session_id: int, venue_id: int, now: float | None = None) -> str:
    # Base 36 keeps the code (and so the QR) short: fewer modules read better from the back row.
    body = ".".join(_b36(n) for n in (session_id, venue_id, current_slot(now)))
    return _signer.sign(body)


def read_code(code: str, now: float | None = None, *, grace_slots: int = 1) -> ScanCode:
    """The session and venue of a scanned code; raises code_invalid or code_expired."""
    try:
        body = _signer.unsign(code)
        session_id, venue_id, slot = (int(part, 36) for part in body.split("."))
    except (signing.BadSignature, ValueError):
        raise CheckinError("code_invalid", _("签到码无效，请扫描投影屏上的二维码。")) from None
    if not 0 <= current_slot(now) - slot <= grace_slots:
        raise CheckinError(
            "code_expired", _("签到码已过期（每 30 秒更新），请扫描投影屏上最新的二维码。")
        )
    return ScanCode(session_id, venue_id, slot)


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def qr_svg(url: str) -> str:
    """An inline SVG QR code, scaled by CSS to fill the projector (error correction L: a
    projected code is clean, and fewer modules read better from the back of the room).

    Without width and height but with a viewBox (``omitsize``): a fixed-size SVG stays at its
    module count in pixels (41 px) whatever size CSS gives it."""
    return segno.make(url, error="l").svg_inline(
        border=2, omitsize=True, title=_("签到二维码"), svgclass="gx-qr-svg"
    )
