"""Teaching points (with their visits) and training bases. Thin: parse, call, render."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import BaseForm, SiteForm, VisitForm
from ganxun.catalog.forms_filters import base_filter_form, site_filter_form
from ganxun.catalog.models import Course
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
from ganxun.core.errors import DomainError
from ganxun.core.http import require

SITE_FIELDS = ("name", "kind", "address", "capacity", "contact_name", "contact_phone", "highlights")
BASE_FIELDS = (
    "name",
    "partner",
    "location",
    "capacity",
    "contact_name",
    "contact_phone",
    "note",
)

# --- teaching points -------------------------------------------------------------------------


@require(policies.can_view_catalog)
def site_list(request):
    form = site_filter_form(request.user, request.GET)
    return list_page(
        request,
        tab="sites",
        heading=_("现场教学点"),
        actions=new_action(request, _("登记教学点"), "catalog:site_create"),
        partial="catalog/_site_table.html",
        filter_form=form,
        queryset=selectors.site_search(request.user, form.filters()),
    )


@require(policies.can_view_catalog)
def site_detail(request, pk, visit_form=None):
    site = selectors.get_site_for(request.user, pk)
    visits = selectors.site_visits(request.user, site)
    context = {
        "site": site,
        "visits": visits[:100],
        "totals": visits.aggregate(n=Count("id"), people=Sum("headcount")),
        "visit_form": visit_form or VisitForm(),
        "editable": can_edit(request, site),
    }
    return section(request, "catalog/site_detail.html", "sites", context)


def _site_form_page(request, form, title, cancel):
    return form_page(
        request,
        form,
        tab="sites",
        title=title,
        cancel=cancel,
        datalist=selectors.site_kinds(request.user),
    )


@require(policies.can_edit_catalog)
def site_create(request):
    form = SiteForm(request.POST or None)
    site = handle_form(
        request,
        form,
        lambda: services.site_create(actor=request.user, data=form.to_data()),
        success=_("已登记现场教学点“{obj}”。"),
    )
    if site:
        return redirect("catalog:site", pk=site.pk)
    return _site_form_page(request, form, _("登记现场教学点"), reverse("catalog:sites"))


@require(policies.can_edit_catalog)
def site_edit(request, pk):
    site = selectors.get_site_for(request.user, pk)
    form = SiteForm(request.POST or None, initial={f: getattr(site, f) for f in SITE_FIELDS})
    if handle_form(
        request,
        form,
        lambda: services.site_update(actor=request.user, site=site, data=form.to_data()),
        success=_("已保存。"),
    ):
        return redirect("catalog:site", pk=site.pk)
    return _site_form_page(
        request,
        form,
        _("修改“%(site)s”") % {"site": site.name},
        reverse("catalog:site", args=[site.pk]),
    )


@require_POST
@require(policies.can_edit_catalog)
def site_visit_add(request, pk):
    site = selectors.get_site_for(request.user, pk)
    form = VisitForm(request.POST)
    if handle_form(
        request,
        form,
        lambda: services.site_visit_add(actor=request.user, site=site, **form.cleaned_data),
        success=_("已记录接待。"),
    ):
        return redirect("catalog:site", pk=site.pk)
    return site_detail(request, pk, visit_form=form)


@require_POST
@require(policies.can_edit_catalog)
def site_visit_delete(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    try:
        services.site_visit_delete(actor=request.user, visit=visit)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除该接待记录。"))
    return redirect("catalog:site", pk=visit.site_id)


site_delete = delete_view(
    selectors.get_site_for,
    lambda actor, site: services.site_delete(actor=actor, site=site),
    done_url="catalog:sites",
    back_url="catalog:site",
)
site_share = share_view(selectors.get_site_for, "catalog:site")


# --- training bases --------------------------------------------------------------------------


@require(policies.can_view_catalog)
def base_list(request):
    form = base_filter_form(request.user, request.GET)
    return list_page(
        request,
        tab="bases",
        heading=_("培训基地"),
        actions=new_action(request, _("登记基地"), "catalog:base_create"),
        partial="catalog/_base_table.html",
        filter_form=form,
        queryset=selectors.base_search(request.user, form.filters()),
    )


@require(policies.can_view_catalog)
def base_detail(request, pk):
    actor = request.user
    base = selectors.get_base_for(actor, pk)
    courses = list(base.courses.all())
    context = {
        "base": base,
        "courses": courses,
        "open_courses": selectors.visible_ids(actor, Course, courses),
        "editable": can_edit(request, base),
    }
    return section(request, "catalog/base_detail.html", "bases", context)


@require(policies.can_edit_catalog)
def base_create(request):
    form = BaseForm(request.POST or None, actor=request.user)
    base = handle_form(
        request,
        form,
        lambda: services.base_create(actor=request.user, data=form.to_data()),
        success=_("已登记培训基地“{obj}”。"),
    )
    if base:
        return redirect("catalog:base", pk=base.pk)
    return form_page(
        request, form, tab="bases", title=_("登记培训基地"), cancel=reverse("catalog:bases")
    )


@require(policies.can_edit_catalog)
def base_edit(request, pk):
    base = selectors.get_base_for(request.user, pk)
    initial = {f: getattr(base, f) for f in BASE_FIELDS}
    initial["in_region"] = "1" if base.in_region else "0"
    initial["courses"] = [c.pk for c in base.courses.all()]
    form = BaseForm(request.POST or None, actor=request.user, initial=initial)
    if handle_form(
        request,
        form,
        lambda: services.base_update(actor=request.user, base=base, data=form.to_data()),
        success=_("已保存。"),
    ):
        return redirect("catalog:base", pk=base.pk)
    return form_page(
        request,
        form,
        tab="bases",
        title=_("修改“%(base)s”") % {"base": base.name},
        cancel=reverse("catalog:base", args=[base.pk]),
    )


base_delete = delete_view(
    selectors.get_base_for,
    lambda actor, base: services.base_delete(actor=actor, base=base),
    done_url="catalog:bases",
    back_url="catalog:base",
)
base_share = share_view(selectors.get_base_for, "catalog:base")
