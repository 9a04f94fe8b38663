"""The materials library: list, detail with the video player, upload, and the file itself."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from ganxun.catalog import files, policies, selectors, services
from ganxun.catalog.forms import MaterialForm
from ganxun.catalog.forms_filters import material_filter_form
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    form_page,
    handle_form,
    list_page,
    new_action,
    section,
    share_view,
)
from ganxun.core.errors import NotFound
from ganxun.core.http import require


@require(policies.can_view_catalog)
def material_list(request):
    form = material_filter_form(request.user, request.GET)
    return list_page(
        request,
        tab="materials",
        heading=_("教材资料库"),
        actions=new_action(request, _("添加资料"), "catalog:material_create"),
        partial="catalog/_material_table.html",
        filter_form=form,
        queryset=selectors.material_search(request.user, form.filters()),
    )


@require(policies.can_view_catalog)
def material_detail(request, pk):
    material = selectors.get_material_for(request.user, pk)
    context = {
        "material": material,
        "courses": selectors.material_courses(request.user, material),
        "editable": can_edit(request, material),
    }
    return section(request, "catalog/material_detail.html", "materials", context)


def _guard_upload(request) -> None:
    """Must run before anything reads request.POST (hence csrf_exempt outside, csrf_protect in)."""
    request.upload_handlers.insert(0, files.UploadSizeGuard(request, files.MAX_VIDEO_BYTES))


def _material_form(request, material=None) -> MaterialForm:
    initial = MaterialForm.initial_for(material) if material else {}
    if request.method != "POST":
        return MaterialForm(actor=request.user, initial=initial)
    form = MaterialForm(request.POST, request.FILES, actor=request.user, initial=initial)
    refused = getattr(request, "upload_refused_size", None)
    if refused:
        form.is_valid()
        form.add_error("file", files.too_large_message(refused, files.MAX_VIDEO_BYTES))
    return form


def _save_material(request, form, material=None):
    upload = form.cleaned_data.get("file") if form.is_bound else None
    if material is None:
        return services.material_create(actor=request.user, data=form.to_data(), upload=upload)
    return services.material_update(
        actor=request.user, material=material, data=form.to_data(), upload=upload
    )


@csrf_exempt
def material_create(request):
    _guard_upload(request)
    return _material_create(request)


@csrf_protect
@require(policies.can_edit_catalog)
def _material_create(request):
    form = _material_form(request)
    material = handle_form(
        request, form, lambda: _save_material(request, form), success=_("已加入教材库：“{obj}”。")
    )
    if material:
        return redirect("catalog:material", pk=material.pk)
    return form_page(
        request,
        form,
        tab="materials",
        title=_("添加教材资料"),
        cancel=reverse("catalog:materials"),
        multipart=True,
    )


@csrf_exempt
def material_edit(request, pk):
    _guard_upload(request)
    return _material_edit(request, pk)


@csrf_protect
@require(policies.can_edit_catalog)
def _material_edit(request, pk):
    material = selectors.get_material_for(request.user, pk)
    form = _material_form(request, material)
    if handle_form(
        request, form, lambda: _save_material(request, form, material), success=_("已保存。")
    ):
        return redirect("catalog:material", pk=material.pk)
    return form_page(
        request,
        form,
        tab="materials",
        title=_("修改“%(material)s”") % {"material": material.title},
        cancel=reverse("catalog:material", args=[material.pk]),
        multipart=True,
    )


@require_safe
@require(policies.can_view_catalog)
def material_file(request, pk):
    """The stored file, authorised like its page; videos are served inline with ranges."""
    material = selectors.get_material_for(request.user, pk)
    if not material.file:
        raise NotFound(_("该资料没有上传文件。"))
    path = Path(default_storage.path(material.file.name))
    if not path.exists():
        raise NotFound(_("文件已不在存储中，请联系管理员。"))
    inline = material.is_video or material.content_type == "application/pdf"
    return files.ranged_file_response(
        request,
        path,
        content_type=material.content_type or "application/octet-stream",
        filename=material.file_name or path.name,
        inline=inline,
    )


material_delete = delete_view(
    selectors.get_material_for,
    lambda actor, material: services.material_delete(actor=actor, material=material),
    done_url="catalog:materials",
    back_url="catalog:material",
)
material_share = share_view(selectors.get_material_for, "catalog:material")
