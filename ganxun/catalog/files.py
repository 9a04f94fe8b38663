"""Uploaded files of the materials library: what they are, how long a video runs, and serving
them with HTTP range requests so a video plays and seeks in the browser.

The type is decided from the content (magic bytes), never from the name the uploader gave.
"""

import os
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy

from ganxun.catalog.errors import CatalogError
from ganxun.core.errors import NotFound
from ganxun.core.http import require

MB = 1024 * 1024
GB = 1024 * MB
MAX_VIDEO_BYTES = 1 * GB
MAX_DOCUMENT_BYTES = 200 * MB
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    label: str  # what the file is, in words for messages
    is_video: bool


def sniff(head: bytes, file: BinaryIO | None = None) -> Sniffed | None:
    """Recognise the formats browsers play and offices exchange; None when unknown."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return Sniffed("video/quicktime", gettext("MOV 视频"), True)
        if brand.startswith((b"M4A", b"M4B")):
            return Sniffed("audio/mp4", gettext("M4A 音频"), False)
        return Sniffed("video/mp4", gettext("MP4 视频"), True)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        if b"webm" in head[:64]:
            return Sniffed("video/webm", gettext("WebM 视频"), True)
        return Sniffed("video/x-matroska", gettext("MKV 视频"), True)
    if head.startswith(b"OggS"):
        return Sniffed("video/ogg", gettext("Ogg 视频"), True)
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", gettext("PDF 文档"), False)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed("application/octet-stream", gettext("Office 97-2003 文档"), False)
    if head.startswith(b"PK\x03\x04") and file is not None:
        return _sniff_office_zip(file)
    return _sniff_other(head)


OOXML = {
    "word/": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word 文档"),
    ),
    "xl/": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel 表格"),
    ),
    "ppt/": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        gettext_lazy("PPT 演示文稿"),
    ),
}


def _sniff_office_zip(file: BinaryIO) -> Sniffed:
    try:
        file.seek(0)
        names = zipfile.ZipFile(file).namelist()
    except (zipfile.BadZipFile, OSError):
        return Sniffed("application/zip", gettext("损坏的压缩文件"), False)
    finally:
        file.seek(0)
    for prefix, (content_type, label) in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return Sniffed(content_type, label, False)
    return Sniffed("application/zip", gettext("ZIP 压缩包"), False)


def _sniff_other(head: bytes) -> Sniffed | None:
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG")):
        return Sniffed("image", gettext("图片"), False)
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed("video/x-msvideo", gettext("AVI 视频（浏览器无法播放）"), False)
    if head.startswith(b"FLV"):
        return Sniffed("video/x-flv", gettext("FLV 视频（浏览器无法播放）"), False)
    return None


PLAYABLE = "MP4、WebM、Ogg 或 MOV"
DOCUMENT_TYPES = {"application/pdf", "application/octet-stream", *(v[0] for v in OOXML.values())}


def check_upload(upload, *, want_video: bool) -> Sniffed:
    """Refuse an oversized or wrongly typed upload before a byte of it is stored.

    The size comes from the upload's ``.size`` (Django knows it before we read), so a 2 GB file
    is refused without being read again.
    """
    limit = MAX_VIDEO_BYTES if want_video else MAX_DOCUMENT_BYTES
    if upload.size > limit:
        raise CatalogError("file_too_large", too_large_message(upload.size, limit), field="file")
    if upload.size == 0:
        raise CatalogError(
            "empty_file", gettext("文件是空的（0 字节），请检查是否选错了文件。"), field="file"
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = sniff(head, upload)
    if want_video and not (found and found.is_video):
        what = gettext("（识别为%(label)s）") % {"label": found.label} if found else ""
        raise CatalogError(
            "not_a_video",
            gettext("所选文件不是视频%(what)s；请上传 %(PLAYABLE)s 格式的视频。")
            % {"what": what, "PLAYABLE": PLAYABLE},
            field="file",
        )
    if not want_video and not (found and found.content_type in DOCUMENT_TYPES):
        what = (
            gettext("识别为%(label)s") % {"label": found.label}
            if found
            else gettext("无法识别其格式")
        )
        raise CatalogError(
            "unsupported_file",
            gettext(
                "该文件%(what)s；资料文件请上传 PDF、Word、Excel 或 PPT。视频请选择“视频课程”类型。"
            )
            % {"what": what},
            field="file",
        )
    return found


def human_size(n: int) -> str:
    if n >= GB:
        return f"{n / GB:.1f} GB"
    if n >= MB:
        return f"{n / MB:.0f} MB"
    return f"{max(n // 1024, 1)} KB"


# --- MP4 duration from the mvhd box ----------------------------------------------------------

CONTAINERS = {b"moov"}
MAX_BOXES = 10_000


def mp4_duration(file: BinaryIO) -> int | None:
    """Seconds, from moov/mvhd (timescale and duration); None if the file has no readable mvhd.

    The moov box may sit at the start (web-optimised) or at the end of the file; boxes are
    skipped by their sizes, so only a few hundred bytes are read either way.
    """
    try:
        file.seek(0, os.SEEK_END)
        end = file.tell()
        found = _find_mvhd(file, 0, end)
    except (OSError, struct.error, ValueError):
        return None
    finally:
        file.seek(0)
    if found is None:
        return None
    timescale, duration = found
    return round(duration / timescale) if timescale else None


def _find_mvhd(file: BinaryIO, start: int, end: int) -> tuple[int, int] | None:
    pos = start
    for _ in range(MAX_BOXES):
        if pos + 8 > end:
            return None
        file.seek(pos)
        size, kind = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", file.read(8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return None
        if kind == b"mvhd":
            return _read_mvhd(file)
        if kind in CONTAINERS:
            return _find_mvhd(file, pos + header, min(pos + size, end))
        pos += size
    return None


def _read_mvhd(file: BinaryIO) -> tuple[int, int]:
    version = file.read(4)[0]
    if version == 1:
        _created, _modified, timescale, duration = struct.unpack(">QQIQ", file.read(28))
    else:
        _created, _modified, timescale, duration = struct.unpack(">IIII", file.read(16))
    return timescale, duration


# --- serving with range requests -------------------------------------------------------------

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range asked for, inclusive; None means "send the whole file".

    Several ranges in one request (rare, never from media players) get the whole file, which
    RFC 9110 allows.
    """
    match = RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    stop = min(int(last), size - 1) if last else size - 1
    if start >= size or stop < start:
        raise Unsatisfiable
    return start, stop


def _stream(path: Path, start: int, length: int):
    with path.open("rb") as f:
        f.seek(start)
        remaining = length
        while remaining > 0:
            chunk = f.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def ranged_file_response(
    request, path: Path, *, content_type: str, filename: str, inline: bool
) -> HttpResponse:
    stat = path.stat()
    size = stat.st_size
    etag = f'"{size:x}-{int(stat.st_mtime):x}"'
    header = request.headers.get("Range", "")
    if request.headers.get("If-Range") not in (None, etag):
        header = ""  # the file changed since the client cached part of it: send it whole
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, stop = wanted if wanted else (0, size - 1)
    length = max(stop - start + 1, 0)
    body = _stream(path, start, length) if request.method != "HEAD" else iter(())
    response = StreamingHttpResponse(body, status=206 if wanted else 200, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=3600"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{stop}/{size}"
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


# --- refusing an oversized upload before it is written anywhere ------------------------------

MULTIPART_SLACK = 1 * MB  # the form's other fields and the multipart boundaries


class UploadSizeGuard(FileUploadHandler):
    """First upload handler of the material form: when the request announces more bytes than a
    video may have, stop before the file part is stored (Django would otherwise spool the whole
    body to a temporary file before the view could look at ``.size``). The fields before the
    file — the CSRF token among them — are still parsed, so the form can show the refusal."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.refused = content_length > self.limit + MULTIPART_SLACK
        if self.refused:
            self.request.upload_refused_size = content_length

    def new_file(self, *args, **kwargs):
        if self.refused:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_message(size: int, limit: int) -> str:
    return gettext(
        "文件约有 %(size)s，超过了 %(limit)s 的上限；"
        "请压缩或拆分后再上传（视频可转为 720p H.264）。"
    ) % {"size": human_size(size), "limit": human_size(limit)}


def stored_file_response(request, obj, *, missing=None, inline: bool):
    """The file kept on ``obj`` (its ``file``, ``content_type`` and ``file_name``), authorised
    by the caller like the page it belongs to: 404 with ``missing`` when none was uploaded, and
    when the storage has lost it."""
    if not obj.file:
        raise NotFound(missing) if missing else NotFound()
    path = Path(default_storage.path(obj.file.name))
    if not path.exists():
        raise NotFound(gettext("文件已不在存储中，请联系管理员。"))
    content_type = obj.content_type or "application/octet-stream"
    filename = obj.file_name or path.name
    return accel_response(
        path, content_type=content_type, filename=filename, inline=inline
    ) or ranged_file_response(
        request, path, content_type=content_type, filename=filename, inline=inline
    )


def file_view(policy, *, get, inline, missing=None, methods=None):
    """The one way a stored upload is served (materials, outlines, expense receipts, outcome
    evidence), declared: ``get(actor, pk)`` fetches its owner like the page it belongs to
    (404 otherwise), ``inline(obj)`` says whether the browser shows it rather than saves it,
    ``missing`` is the 404's words when nothing was uploaded; ``methods`` (e.g.
    ``require_safe``) limits the HTTP methods."""

    @require(policy)
    def view(request, pk):
        obj = get(request.user, pk)
        return stored_file_response(request, obj, missing=missing, inline=inline(obj))

    return methods(view) if methods is not None else view


def accel_response(path: Path, *, content_type: str, filename: str, inline: bool):
    """In production nginx sends the file itself (``X-Accel-Redirect`` to an ``internal``
    location aliased to ``MEDIA_ROOT``, set by ``GANXUN_MEDIA_ACCEL``, e.g. ``/protected-media/``):
    ranges and sendfile without holding a Python worker for a video. None when not configured,
    or when the file lies outside ``MEDIA_ROOT``; the caller then streams it with ranges."""
    prefix = getattr(settings, "MEDIA_ACCEL_PREFIX", "")
    if not prefix:
        return None
    try:
        relative = path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError:
        return None
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(relative.as_posix())
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, max-age=3600"
    return response
