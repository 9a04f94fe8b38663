"""Writes to the materials library (教材库). A file is stored only if its row is saved too."""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.catalog import files
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Material, Theme
from ganxun.catalog.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_editable,
    require_editor,
    require_visible,
    set_links,
)

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MATERIAL_FIELDS = [
    "kind",
    "title",
    "authors",
    "isbn",
    "publisher",
    "year",
    "summary",
    "file_name",
    "size",
    "duration_seconds",
    "owner",
]


@dataclass
class MaterialData:
    kind: str
    title: str
    authors: str = ""
    isbn: str = ""
    publisher: str = ""
    year: int | None = None
    summary: str = ""
    duration_seconds: int | None = None  # as the uploader typed it; an MP4's own header wins
    themes: list[Theme] = field(default_factory=list)


def normalise_isbn(raw: str) -> str:
    """ISBN-10 or ISBN-13 with its check digit verified; hyphens and spaces dropped."""
    text = re.sub(r"[\s\-]", "", str(raw or "")).upper().removeprefix("ISBN")
    if not text:
        return ""
    if re.fullmatch(r"\d{13}", text):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(text[:12]))
        if (10 - total % 10) % 10 == int(text[12]):
            return text
    elif re.fullmatch(r"\d{9}[\dX]", text):
        total = sum((10 - i) * int(d) for i, d in enumerate(text[:9]))
        check = (11 - total % 11) % 11
        if text[9] == ("X" if check == 10 else str(check)):
            return text
    raise CatalogError(
        "invalid_isbn",
        _("ISBN“%(raw)s”无效（位数或校验位不对），请核对图书版权页。") % {"raw": raw},
        field="isbn",
    )


def _validate(actor: "User", data: MaterialData) -> MaterialData:
    if data.kind not in Material.Kind.values:
        raise CatalogError("invalid_kind", _("请选择资料类型。"), field="kind")
    data.title = clean_text(data.title, field="title", label=_("标题"), max_length=200)
    data.isbn = normalise_isbn(data.isbn) if data.kind == Material.Kind.BOOK else ""
    if data.year is not None and not 1900 <= data.year <= 2100:
        raise CatalogError("invalid_year", _("出版年份应在 1900–2100 之间。"), field="year")
    require_visible(actor, Theme, data.themes, field="themes", label=_("专题"))
    return data


def _check_isbn_free(actor: "User", isbn: str, exclude_pk: int | None = None) -> None:
    """A book already in a library the actor uses (own, shared from above) is not added twice."""
    if not isbn:
        return
    clash = Material.objects.visible_to(actor).filter(isbn=isbn).select_related("owner")
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    existing = clash.first()
    if existing:
        raise CatalogError(
            "duplicate_isbn",
            _("ISBN %(isbn)s 已在教材库中：《%(existing)s》（%(owner)s）。")
            % {"isbn": isbn, "existing": existing.title, "owner": existing.owner.name},
            field="isbn",
            existing_id=existing.pk,
        )


def _attach(material: Material, data: MaterialData, upload) -> str | None:
    """Check and store the upload; return the stored name so a failure can remove it."""
    if upload is None:
        if material.kind == Material.Kind.VIDEO and not material.file:
            raise CatalogError("file_required", _("视频课程须上传视频文件。"), field="file")
        if material.is_video and data.duration_seconds:
            material.duration_seconds = data.duration_seconds
        return None
    sniffed = files.check_upload(upload, want_video=material.is_video)
    duration = files.mp4_duration(upload) if sniffed.content_type == "video/mp4" else None
    duration = duration or data.duration_seconds
    if material.is_video and not duration:
        raise CatalogError(
            "duration_required", _("无法从该视频文件读取时长，请填写时长。"), field="duration"
        )
    material.duration_seconds = duration if material.is_video else None
    material.content_type = sniffed.content_type
    material.size = upload.size
    material.file_name = clean_text(upload.name, field="file", label=_("文件名"))[-200:]
    material.file.save(upload.name, upload, save=False)
    return material.file.name


def _save(material: Material, data: MaterialData, upload) -> None:
    """Fields, file and links; a file stored here is removed again if anything after it fails."""
    for name in ("kind", "title", "authors", "isbn", "publisher", "year", "summary"):
        setattr(material, name, getattr(data, name))
    old_file = material.file.name if upload is not None else ""
    stored = None
    try:
        stored = _attach(material, data, upload)
        material.save()
        set_links(material, "themes", data.themes)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    if stored and old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))


@transaction.atomic
def material_create(*, actor: "User", data: MaterialData, upload=None) -> Material:
    require_editor(actor)
    data = _validate(actor, data)
    _check_isbn_free(actor, data.isbn)
    material = Material(owner=actor.org, kind=data.kind)
    _save(material, data, upload)
    record(actor, "create", material, {}, full_snapshot(material, MATERIAL_FIELDS, ("themes",)))
    return material


@transaction.atomic
def material_update(
    *, actor: "User", material: Material, data: MaterialData, upload=None
) -> Material:
    require_editor(actor)
    require_editable(actor, material)
    if data.kind != material.kind and material.file:
        raise CatalogError(
            "kind_locked", _("已上传文件的资料不能改变类型；请新建一条资料。"), field="kind"
        )
    data = _validate(actor, data)
    _check_isbn_free(actor, data.isbn, exclude_pk=material.pk)
    before = full_snapshot(material, MATERIAL_FIELDS, ("themes",))
    material.kind = data.kind
    _save(material, data, upload)
    record(actor, "update", material, before, full_snapshot(material, MATERIAL_FIELDS, ("themes",)))
    return material


@transaction.atomic
def material_delete(*, actor: "User", material: Material) -> None:
    require_editor(actor)
    require_editable(actor, material)
    record(actor, "delete", material, full_snapshot(material, MATERIAL_FIELDS, ("themes",)), {})
    stored = material.file.name
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    Material._base_manager.filter(pk=material.pk).delete()
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))
