"""The faculty pool: list, a page per lecturer, editing, deletion. Thin: parse, call, render."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import LecturerForm
from ganxun.catalog.forms_filters import lecturer_filter_form
from ganxun.catalog.models import Lecturer, Proposal
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    resource_views,
    share_view,
)
from ganxun.core.resources import Resource
from ganxun.orgs.models import Cadre


def _lecturer_context(request, lecturer) -> dict:
    actor = request.user
    proposals = (
        Proposal.objects.visible_to(actor)
        .filter(lecturer=lecturer)
        .select_related("call", "last_round")
        .order_by("-submitted_at")
    )
    cadre_visible = (
        lecturer.cadre_id is not None
        and Cadre.objects.visible_to(actor).filter(pk=lecturer.cadre_id).exists()
    )
    return {
        "courses": selectors.lecturer_courses(actor, lecturer),
        "proposals": proposals,
        "cadre_visible": cadre_visible,
        "editable": can_edit(request, lecturer),
    }


def _lecturer_form(request, lecturer):
    initial = LecturerForm.initial_for(lecturer) if lecturer else None
    return LecturerForm(request.POST or None, actor=request.user, initial=initial)


LECTURERS = resource_views(
    Resource(
        key="lecturer",
        model=Lecturer,
        app="catalog",
        plural="lecturers",
        get=selectors.get_lecturer_for,
        can_view=policies.can_view_catalog,
        can_edit=policies.can_edit_catalog,
        search=selectors.lecturer_search,
        filter_form=lecturer_filter_form,
        form=_lecturer_form,
        create=lambda request, form: services.lecturer_create(
            actor=request.user, data=form.to_data()
        ),
        update=lambda request, form, lecturer: services.lecturer_update(
            actor=request.user, lecturer=lecturer, data=form.to_data()
        ),
        detail=_lecturer_context,
        heading=gettext_lazy("师资库"),
        new_label=gettext_lazy("新增师资"),
        create_title=gettext_lazy("新增师资"),
        created=gettext_lazy("已将“{obj}”加入师资库。"),
        saved=gettext_lazy("已保存。"),
        edit_title=lambda lecturer: _("修改“%(lecturer)s”") % {"lecturer": lecturer.name},
    )
)
lecturer_list = LECTURERS.list_view()
lecturer_detail = LECTURERS.detail_view()
lecturer_create = LECTURERS.create_view()
lecturer_edit = LECTURERS.edit_view()
lecturer_delete = delete_view(
    selectors.get_lecturer_for,
    lambda actor, lecturer: services.lecturer_delete(actor=actor, lecturer=lecturer),
    done_url="catalog:lecturers",
    back_url="catalog:lecturer",
)
lecturer_share = share_view(selectors.get_lecturer_for, "catalog:lecturer")
