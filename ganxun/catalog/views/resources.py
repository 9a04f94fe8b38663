"""Teaching points (with their visits) and training bases. Thin: parse, call, render."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import policies, selectors, services
from ganxun.catalog.forms import BaseForm, SiteForm, VisitForm
from ganxun.catalog.forms_filters import base_filter_form, site_filter_form
from ganxun.catalog.models import Course, TeachingSite, TrainingBase
from ganxun.catalog.views.common import (
    can_edit,
    delete_view,
    resource_views,
    share_view,
)
from ganxun.core.http import action_view, form_view
from ganxun.core.resources import Resource

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


def _site_context(request, site, visit_form=None) -> dict:
    visits = selectors.site_visits(request.user, site)
    return {
        "visits": visits[:100],
        "totals": visits.aggregate(n=Count("id"), people=Sum("headcount")),
        "visit_form": visit_form or VisitForm(),
        "editable": can_edit(request, site),
    }


def _site_form(request, site):
    initial = {f: getattr(site, f) for f in SITE_FIELDS} if site else None
    return SiteForm(request.POST or None, initial=initial)


SITES = resource_views(
    Resource(
        key="site",
        model=TeachingSite,
        app="catalog",
        plural="sites",
        get=selectors.get_site_for,
        can_view=policies.can_view_catalog,
        can_edit=policies.can_edit_catalog,
        search=selectors.site_search,
        filter_form=site_filter_form,
        form=_site_form,
        create=lambda request, form: services.site_create(actor=request.user, data=form.to_data()),
        update=lambda request, form, site: services.site_update(
            actor=request.user, site=site, data=form.to_data()
        ),
        detail=_site_context,
        heading=gettext_lazy("现场教学点"),
        new_label=gettext_lazy("登记教学点"),
        create_title=gettext_lazy("登记现场教学点"),
        created=gettext_lazy("已登记现场教学点“{obj}”。"),
        saved=gettext_lazy("已保存。"),
        edit_title=lambda site: _("修改“%(site)s”") % {"site": site.name},
        form_extra=lambda request: {"datalist": selectors.site_kinds(request.user)},
    )
)
site_list = SITES.list_view()
site_detail = SITES.detail_view()
site_create = SITES.create_view()
site_edit = SITES.edit_view()


site_visit_add = form_view(
    policies.can_edit_catalog,
    post_only=True,
    get=selectors.get_site_for,
    form=lambda request, _site: VisitForm(request.POST),
    save=lambda request, form, site: services.site_visit_add(
        actor=request.user, site=site, **form.cleaned_data
    ),
    success=gettext_lazy("已记录接待。"),
    to=lambda site, _visit: reverse("catalog:site", args=[site.pk]),
    page=lambda request, form, site: site_detail(request, site.pk, visit_form=form),
)
site_visit_delete = action_view(
    policies.can_edit_catalog,
    get=selectors.get_visit_for,
    call=lambda request, visit: services.site_visit_delete(actor=request.user, visit=visit),
    success=gettext_lazy("已删除该接待记录。"),
    to=lambda visit: reverse("catalog:site", args=[visit.site_id]),
)


site_delete = delete_view(
    selectors.get_site_for,
    lambda actor, site: services.site_delete(actor=actor, site=site),
    done_url="catalog:sites",
    back_url="catalog:site",
)
site_share = share_view(selectors.get_site_for, "catalog:site")


# --- training bases --------------------------------------------------------------------------


def _base_context(request, base) -> dict:
    courses = list(base.courses.all())
    return {
        "courses": courses,
        "open_courses": selectors.visible_ids(request.user, Course, courses),
        "editable": can_edit(request, base),
    }


def _base_form(request, base):
    initial = None
    if base is not None:
        initial = {f: getattr(base, f) for f in BASE_FIELDS}
        initial["in_region"] = "1" if base.in_region else "0"
        initial["courses"] = [c.pk for c in base.courses.all()]
    return BaseForm(request.POST or None, actor=request.user, initial=initial)


BASES = resource_views(
    Resource(
        key="base",
        model=TrainingBase,
        app="catalog",
        plural="bases",
        get=selectors.get_base_for,
        can_view=policies.can_view_catalog,
        can_edit=policies.can_edit_catalog,
        search=selectors.base_search,
        filter_form=base_filter_form,
        form=_base_form,
        create=lambda request, form: services.base_create(actor=request.user, data=form.to_data()),
        update=lambda request, form, base: services.base_update(
            actor=request.user, base=base, data=form.to_data()
        ),
        detail=_base_context,
        heading=gettext_lazy("培训基地"),
        new_label=gettext_lazy("登记基地"),
        create_title=gettext_lazy("登记培训基地"),
        created=gettext_lazy("已登记培训基地“{obj}”。"),
        saved=gettext_lazy("已保存。"),
        edit_title=lambda base: _("修改“%(base)s”") % {"base": base.name},
    )
)
base_list = BASES.list_view()
base_detail = BASES.detail_view()
base_create = BASES.create_view()
base_edit = BASES.edit_view()


base_delete = delete_view(
    selectors.get_base_for,
    lambda actor, base: services.base_delete(actor=actor, base=base),
    done_url="catalog:bases",
    back_url="catalog:base",
)
base_share = share_view(selectors.get_base_for, "catalog:base")
