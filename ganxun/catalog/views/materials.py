"""The materials library: list, detail with the video player, upload, and the file itself."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from ganxun.catalog import files, policies, selectors, services
from ganxun.catalog.forms import MaterialForm
from ganxun.catalog.forms_filters import material_filter_form
from ganxun.catalog.models import Material
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    resource_views,
    share_view,
)
from ganxun.core.resources import Resource


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


def _material_context(request, material) -> dict:
    return {
        "courses": selectors.material_courses(request.user, material),
        "editable": can_edit(request, material),
    }


MATERIALS = resource_views(
    Resource(
        key="material",
        model=Material,
        app="catalog",
        plural="materials",
        get=selectors.get_material_for,
        can_view=policies.can_view_catalog,
        can_edit=policies.can_edit_catalog,
        search=selectors.material_search,
        filter_form=material_filter_form,
        form=_material_form,
        create=lambda request, form: services.material_create(
            actor=request.user, data=form.to_data(), upload=form.cleaned_data.get("file")
        ),
        update=lambda request, form, material: services.material_update(
            actor=request.user,
            material=material,
            data=form.to_data(),
            upload=form.cleaned_data.get("file"),
        ),
        detail=_material_context,
        heading=gettext_lazy("教材资料库"),
        new_label=gettext_lazy("添加资料"),
        create_title=gettext_lazy("添加教材资料"),
        created=gettext_lazy("已加入教材库：“{obj}”。"),
        saved=gettext_lazy("已保存。"),
        edit_title=lambda material: _("修改“%(material)s”") % {"material": material.title},
        multipart=True,
    )
)
material_list = MATERIALS.list_view()
material_detail = MATERIALS.detail_view()
_material_create = csrf_protect(MATERIALS.create_view())
_material_edit = csrf_protect(MATERIALS.edit_view())


@csrf_exempt
def material_create(request):
    _guard_upload(request)
    return _material_create(request)


@csrf_exempt
def material_edit(request, pk):
    _guard_upload(request)
    return _material_edit(request, pk)


material_file = files.file_view(  # videos are served inline with ranges
    policies.can_view_catalog,
    get=selectors.get_material_for,
    missing=gettext_lazy("该资料没有上传文件。"),
    inline=lambda material: material.is_video or material.content_type == "application/pdf",
    methods=require_safe,
)


material_delete = delete_view(
    selectors.get_material_for,
    lambda actor, material: services.material_delete(actor=actor, material=material),
    done_url="catalog:materials",
    back_url="catalog:material",
)
material_share = share_view(selectors.get_material_for, "catalog:material")
