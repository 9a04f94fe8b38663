"""The faculty pool: list, a page per lecturer, editing, deletion. Thin: parse, call, render."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import LecturerForm
from ganxun.catalog.forms_filters import lecturer_filter_form
from ganxun.catalog.models import Proposal
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
from ganxun.core.http import require
from ganxun.orgs.models import Cadre


@require(policies.can_view_catalog)
def lecturer_list(request):
    form = lecturer_filter_form(request.user, request.GET)
    return list_page(
        request,
        tab="lecturers",
        heading=_("师资库"),
        actions=new_action(request, _("新增师资"), "catalog:lecturer_create"),
        partial="catalog/_lecturer_table.html",
        filter_form=form,
        queryset=selectors.lecturer_search(request.user, form.filters()),
    )


@require(policies.can_view_catalog)
def lecturer_detail(request, pk):
    actor = request.user
    lecturer = selectors.get_lecturer_for(actor, pk)
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
    context = {
        "lecturer": lecturer,
        "courses": selectors.lecturer_courses(actor, lecturer),
        "proposals": proposals,
        "cadre_visible": cadre_visible,
        "editable": can_edit(request, lecturer),
    }
    return section(request, "catalog/lecturer_detail.html", "lecturers", context)


@require(policies.can_edit_catalog)
def lecturer_create(request):
    form = LecturerForm(request.POST or None, actor=request.user)
    lecturer = handle_form(
        request,
        form,
        lambda: services.lecturer_create(actor=request.user, data=form.to_data()),
        success=_("已将“{obj}”加入师资库。"),
    )
    if lecturer:
        return redirect("catalog:lecturer", pk=lecturer.pk)
    return form_page(
        request, form, tab="lecturers", title=_("新增师资"), cancel=reverse("catalog:lecturers")
    )


@require(policies.can_edit_catalog)
def lecturer_edit(request, pk):
    lecturer = selectors.get_lecturer_for(request.user, pk)
    form = LecturerForm(
        request.POST or None, actor=request.user, initial=LecturerForm.initial_for(lecturer)
    )
    if handle_form(
        request,
        form,
        lambda: services.lecturer_update(
            actor=request.user, lecturer=lecturer, data=form.to_data()
        ),
        success=_("已保存。"),
    ):
        return redirect("catalog:lecturer", pk=lecturer.pk)
    return form_page(
        request,
        form,
        tab="lecturers",
        title=_("修改“%(lecturer)s”") % {"lecturer": lecturer.name},
        cancel=reverse("catalog:lecturer", args=[lecturer.pk]),
    )


lecturer_delete = delete_view(
    selectors.get_lecturer_for,
    lambda actor, lecturer: services.lecturer_delete(actor=actor, lecturer=lecturer),
    done_url="catalog:lecturers",
    back_url="catalog:lecturer",
)
lecturer_share = share_view(selectors.get_lecturer_for, "catalog:lecturer")
