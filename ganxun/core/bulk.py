"""Preview before a bulk write: every action that writes many rows at once (adding everyone who
matches a filter, generating a series, confirming many) first shows who or what it will write —
the count and a breakdown — and writes only when the person confirms that same preview.

The service offers ``<noun>_<verb>_preview(...) -> Preview`` (a read) next to the write, and the
write takes the preview's ``fingerprint``: if what would be written changed in between (someone
else added people, the roster moved), the write is refused with ``preview_stale`` and nothing is
written. Views use ``bulk_confirmed`` and the template ``includes/bulk_preview.html``.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

CONFIRM_FIELD = "bulk_confirm"
FINGERPRINT_FIELD = "bulk_fingerprint"


def fingerprint(keys: Iterable) -> str:
    """A short digest of exactly what would be written (ids, dates…), order-independent."""
    digest = hashlib.sha256()
    for key in sorted(str(k) for k in keys):
        digest.update(key.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@dataclass
class Preview:
    """What a bulk write will do, for the person to confirm."""

    title: str  # e.g. "将添加 4,865 名学员"
    total: int
    fingerprint: str
    groups: list[tuple[str, int]] = field(default_factory=list)  # (by unit / month, count)
    group_label: str = ""  # e.g. "按单位"
    notes: list[str] = field(default_factory=list)  # e.g. "已在项目中的 12 人不重复添加"

    @property
    def empty(self) -> bool:
        return self.total == 0


def require_unchanged(current: str, given: str | None, error_cls) -> None:
    """Refuse the write when the confirmed preview (``given``) is not what would now be written
    (``current``); ``given`` None means no preview was involved (a script, the demo)."""
    if given is not None and given != current:
        raise error_cls(
            "preview_stale",
            "名单在预览后发生了变化，未写入。请查看新的预览后再确认。",
        )


def bulk_confirmed(request) -> tuple[bool, str | None]:
    """Whether this POST confirms a preview, and the fingerprint it confirms."""
    if request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1":
        return True, request.POST.get(FINGERPRINT_FIELD, "")
    return False, None


def repost_fields(request) -> list[tuple[str, str]]:
    """The posted fields to send again with the confirmation (all but the token and ours)."""
    skip = {"csrfmiddlewaretoken", CONFIRM_FIELD, FINGERPRINT_FIELD}
    return [(k, v) for k, values in request.POST.lists() if k not in skip for v in values]
