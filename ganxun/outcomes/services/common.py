"""Checks and helpers the outcomes services share."""

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage

from ganxun.core import services as core_services
from ganxun.core.errors import PermissionDenied
from ganxun.core.services import record
from ganxun.outcomes import files, policies
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Attachment
from ganxun.outcomes.models.reports import attachment_upload_to

if TYPE_CHECKING:
    from ganxun.accounts.models import User

__all__ = ["clean_text", "record", "require_manager", "store_attachments"]


def require_manager(actor: "User", program) -> None:
    if not policies.can_manage(actor, program):
        raise PermissionDenied()


def clean_text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=OutcomeError, **kwargs)


def store_attachments(actor: "User", uploads, stored: list[str], **owner) -> list[Attachment]:
    """Save already checked uploads; ``stored`` collects the storage names so the caller can
    remove them when its transaction fails (nothing half-saved)."""
    sniffed = files.check_uploads(uploads)
    rows = []
    for upload, kind in zip(uploads, sniffed, strict=True):
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        row = Attachment(
            file_name=upload.name[:200],
            content_type=files.content_type_of(kind, head),
            size=upload.size,
            uploaded_by=actor,
            **owner,
        )
        row.file.name = default_storage.save(
            # the file field's upload_to, named (the stubs cannot see it through _meta)
            attachment_upload_to(row, upload.name),
            upload,
        )
        stored.append(row.file.name)
        row.save()
        rows.append(row)
    return rows


def discard(stored: list[str]) -> None:
    for name in stored:
        default_storage.delete(name)
