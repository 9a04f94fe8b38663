"""The materials library: books by ISBN, videos checked by content, capped in size, served with
range requests so they seek; nothing half-saved when anything is refused."""

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganxun.accounts.models import Role
from ganxun.catalog import files, services
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Material
from ganxun.core.scoping import unscoped
from tests.catalog.factories import make_material
from tests.factories import make_user

PDF = b"%PDF-1.7\n" + b"0" * 2000


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(seconds: int, *, timescale: int = 600, moov_at_end: bool = False, version: int = 0):
    """A minimal MP4: ftyp, a movie header with the duration, and some media data."""
    if version == 1:
        header = struct.pack(">QQIQ", 0, 0, timescale, seconds * timescale)
    else:
        header = struct.pack(">IIII", 0, 0, timescale, seconds * timescale)
    moov = box(b"moov", box(b"mvhd", bytes([version, 0, 0, 0]) + header + b"\0" * 80))
    mdat = box(b"mdat", bytes(range(256)) * 16)
    ftyp = box(b"ftyp", b"isom\0\0\2\0isomiso2mp41")
    return ftyp + (mdat + moov if moov_at_end else moov + mdat)


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.fixture
def organizer(city):
    return make_user(city.county_a, Role.ORGANIZER, username="county_org")


def video(name="课程.mp4", content=None):
    return SimpleUploadedFile(name, content if content is not None else mp4(2712))


def add_video(actor, upload, **extra):
    data = services.MaterialData(kind=Material.Kind.VIDEO, title="数字化改革公开课", **extra)
    return services.material_create(actor=actor, data=data, upload=upload)


@pytest.mark.parametrize(
    "content",
    [mp4(2712), mp4(2712, moov_at_end=True), mp4(2712, version=1, timescale=90000)],
    ids=["web-optimised", "moov-at-end", "64-bit-header"],
)
def test_an_mp4_is_stored_with_the_duration_read_from_its_header(organizer, media_root, content):
    material = add_video(organizer, video(content=content))
    assert material.duration_seconds == 2712 and material.duration_display == "45:12"
    assert material.content_type == "video/mp4" and material.file_name == "课程.mp4"
    assert (media_root / material.file.name).read_bytes() == content


def test_a_video_that_is_not_a_video_is_refused_and_nothing_is_kept(organizer, media_root):
    with pytest.raises(CatalogError) as exc:
        add_video(organizer, video("讲座.mp4", PDF))
    assert exc.value.code == "not_a_video" and "PDF" in exc.value.message
    assert stored_files(media_root) == []
    with unscoped():
        assert not Material.objects.exists()


def test_a_2_gb_upload_is_refused_by_its_size_before_it_is_read(organizer, media_root):
    upload = video()
    upload.size = 2 * files.GB  # what Django reports for a 2 GB upload; no 2 GB are written here
    with pytest.raises(CatalogError) as exc:
        add_video(organizer, upload)
    assert exc.value.code == "file_too_large"
    assert "2.0 GB" in exc.value.message and "1.0 GB" in exc.value.message
    assert stored_files(media_root) == []


def test_a_webm_needs_its_duration_typed_in(organizer):
    webm = SimpleUploadedFile("a.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm" + b"\0" * 500)
    with pytest.raises(CatalogError) as exc:
        add_video(organizer, webm)
    assert exc.value.code == "duration_required" and exc.value.field == "duration"
    webm.seek(0)
    material = add_video(organizer, webm, duration_seconds=1800)
    assert (material.content_type, material.duration_seconds) == ("video/webm", 1800)


def test_a_file_stored_before_a_later_failure_is_removed(organizer, media_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("ganxun.catalog.services.materials.set_links", broken)
    with pytest.raises(RuntimeError):
        add_video(organizer, video())
    assert stored_files(media_root) == []


def test_a_book_already_in_a_library_the_org_uses_is_not_added_twice(city, organizer):
    make_material(city.city, "习近平关于防范风险挑战论述摘编", isbn="9787507348231")
    make_material(city.county_b, "西山区自购图书", isbn="9787010250595")
    book = services.MaterialData(kind="book", title="重复的书", isbn="978-7-5073-4823-1")
    with pytest.raises(CatalogError) as exc:
        services.material_create(actor=organizer, data=book)
    assert exc.value.code == "duplicate_isbn" and exc.value.field == "isbn"
    assert "防范风险挑战" in exc.value.message and "甬江市" in exc.value.message
    # another county's private copy does not block (and is not revealed)
    other = services.MaterialData(kind="book", title="东江县的书", isbn="9787010250595")
    assert services.material_create(actor=organizer, data=other).isbn == "9787010250595"


def test_an_isbn_with_a_wrong_check_digit_is_refused(organizer):
    book = services.MaterialData(kind="book", title="错书", isbn="9787507348234")
    with pytest.raises(CatalogError) as exc:
        services.material_create(actor=organizer, data=book)
    assert exc.value.code == "invalid_isbn"


def test_documents_accept_office_and_pdf_but_not_executables(organizer):
    data = services.MaterialData(kind="case", title="案例")
    exe = SimpleUploadedFile("案例.pdf", b"MZ\x90\x00" + b"\0" * 100)
    with pytest.raises(CatalogError) as exc:
        services.material_create(actor=organizer, data=data, upload=exe)
    assert exc.value.code == "unsupported_file"
    material = services.material_create(
        actor=organizer, data=data, upload=SimpleUploadedFile("案例.pdf", PDF)
    )
    assert material.content_type == "application/pdf"


def test_deleting_a_material_removes_its_file(
    organizer, media_root, django_capture_on_commit_callbacks
):
    material = add_video(organizer, video())
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=organizer, material=material)
    assert stored_files(media_root) == []


# --- serving ---------------------------------------------------------------------------------


@pytest.fixture
def served(client, organizer):
    content = mp4(60)
    material = add_video(organizer, video(content=content))
    client.force_login(organizer)
    return client, f"/catalog/materials/{material.pk}/file/", content


def test_the_video_is_served_whole_with_ranges_advertised(served):
    client, url, content = served
    response = client.get(url)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert (
        response["Content-Type"] == "video/mp4" and b"".join(response.streaming_content) == content
    )
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-10", None, None)],
)
def test_a_range_request_gets_206_with_just_those_bytes(served, header, start, stop):
    client, url, content = served
    size = len(content)
    start = size - 10 if start is None else start
    stop = size - 1 if stop is None else stop
    response = client.get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{stop}/{size}"
    assert b"".join(response.streaming_content) == content[start : stop + 1]
    assert response["Content-Length"] == str(stop - start + 1)


def test_a_range_past_the_end_is_416(served):
    client, url, content = served
    response = client.get(url, HTTP_RANGE=f"bytes={len(content) + 5}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(content)}"


def test_another_countys_user_cannot_fetch_the_file(served, city, client):
    _client, url, _content = served
    client.force_login(make_user(city.county_b, Role.ORGANIZER))
    assert client.get(url).status_code == 404


def test_an_oversized_upload_is_stopped_before_its_file_part_is_stored(
    client, organizer, media_root, monkeypatch
):
    # given a 1 GB limit scaled down to 4 KB, so the test sends a few KB instead of 2 GB
    monkeypatch.setattr(files, "MAX_VIDEO_BYTES", 4096)
    monkeypatch.setattr(files, "MULTIPART_SLACK", 0)
    client.force_login(organizer)
    # when a video larger than the limit is posted to the form
    response = client.post(
        "/catalog/materials/new/",
        {"kind": "video", "title": "超大视频", "file": video(content=mp4(60) * 4)},
    )
    # then the form comes back with the reason, and nothing was stored
    assert response.status_code == 200
    assert "超过了 4 KB 的上限" in response.content.decode()
    assert stored_files(media_root) == []
    with unscoped():
        assert not Material.objects.exists()
