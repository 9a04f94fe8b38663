"""Evidence uploads (photos, scans, documents): type decided from the content, like the
materials library (catalog/files.py), with a smaller size limit."""

from ganxun.catalog import files
from ganxun.outcomes.errors import OutcomeError

MAX_BYTES = 20 * files.MB
MAX_FILES = 5
ACCEPTED = {*files.DOCUMENT_TYPES, "image"}


def check_uploads(uploads) -> list[files.Sniffed]:
    """Refuse the whole submission when one file is empty, too large or not evidence."""
    if len(uploads) > MAX_FILES:
        raise OutcomeError("too_many_files", f"最多上传 {MAX_FILES} 个附件。", field="files")
    found = []
    for upload in uploads:
        if upload.size > MAX_BYTES:
            message = f"《{upload.name}》：" + files.too_large_message(upload.size, MAX_BYTES)
            raise OutcomeError("file_too_large", message, field="files")
        if upload.size == 0:
            raise OutcomeError(
                "empty_file", f"《{upload.name}》是空文件（0 字节）。", field="files"
            )
        upload.seek(0)
        sniffed = files.sniff(upload.read(64), upload)
        upload.seek(0)
        if not (sniffed and sniffed.content_type in ACCEPTED):
            what = f"识别为{sniffed.label}" if sniffed else "无法识别其格式"
            raise OutcomeError(
                "unsupported_file",
                f"《{upload.name}》{what}；佐证材料请上传照片、PDF、Word、Excel 或 PPT。",
                field="files",
            )
        found.append(sniffed)
    return found


def content_type_of(sniffed: files.Sniffed, head: bytes) -> str:
    if sniffed.content_type == "image":
        return "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    return sniffed.content_type
