"""Evidence uploads (photos, scans, documents): type decided from the content, like the
materials library (catalog/files.py), with a smaller size limit."""

from django.utils.translation import gettext as _

from ganxun.catalog import files
from ganxun.outcomes.errors import OutcomeError

MAX_BYTES = 20 * files.MB
MAX_FILES = 5
ACCEPTED = {*files.DOCUMENT_TYPES, "image"}


def check_uploads(uploads) -> list[files.Sniffed]:
    """Refuse the whole submission when one file is empty, too large or not evidence."""
    if len(uploads) > MAX_FILES:
        raise OutcomeError(
            "too_many_files",
            _("最多上传 %(max_files)s 个附件。") % {"max_files": MAX_FILES},
            field="files",
        )
    found = []
    for upload in uploads:
        if upload.size > MAX_BYTES:
            message = _("《%(name)s》：") % {"name": upload.name} + files.too_large_message(
                upload.size, MAX_BYTES
            )
            raise OutcomeError("file_too_large", message, field="files")
        if upload.size == 0:
            raise OutcomeError(
                "empty_file",
                _("《%(name)s》是空文件（0 字节）。") % {"name": upload.name},
                field="files",
            )
        upload.seek(0)
        sniffed = files.sniff(upload.read(64), upload)
        upload.seek(0)
        if not (sniffed and sniffed.content_type in ACCEPTED):
            what = (
                _("识别为%(label)s") % {"label": sniffed.label} if sniffed else _("无法识别其格式")
            )
            raise OutcomeError(
                "unsupported_file",
                _("《%(name)s》%(what)s；佐证材料请上传照片、PDF、Word、Excel 或 PPT。")
                % {"name": upload.name, "what": what},
                field="files",
            )
        found.append(sniffed)
    return found


def content_type_of(sniffed: files.Sniffed, head: bytes) -> str:
    if sniffed.content_type == "image":
        return "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    return sniffed.content_type
