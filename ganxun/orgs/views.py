"""Pages for the organization tree and the roster. Thin: parse, call, render."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound
from ganxun.core.exports import audited_download
from ganxun.core.http import (
    action_view,
    form_page_of,
    form_view,
    handle_form,
    page_or_partial,
    paginate,
    require,
    run_action,
)
from ganxun.core.models import AuditEntry
from ganxun.orgs import policies, selectors, services
from ganxun.orgs.exports import write_roster_xlsx
from ganxun.orgs.forms import (
    CadreFilterForm,
    CadreForm,
    CategoryForm,
    InvalidFilter,
    OrgForm,
    OrgMoveForm,
    PersonnelCategoryForm,
    RankTitleForm,
    UnitPickForm,
    cadre_filters,
)
from ganxun.orgs.models import Cadre, CadreCategory, PersonnelCategory, RankTitle
from ganxun.orgs.selectors import CadreFilters

# --- organization tree -----------------------------------------------------------------------


@require(policies.can_view_orgs)
def org_tree(request):
    root = request.user.org
    return render(
        request,
        "orgs/tree.html",
        {"root": root, "children": selectors.org_children(request.user, root)},
    )


@require(policies.can_view_orgs)
def org_children(request, pk):
    org = selectors.get_org_for(request.user, pk)
    return render(
        request,
        "orgs/_children.html",
        {"parent": org, "children": selectors.org_children(request.user, org)},
    )


@require(policies.can_view_orgs)
def org_detail(request, pk):
    org = selectors.get_org_for(request.user, pk)
    history = AuditEntry.objects.filter(object_type="orgs.org", object_id=str(org.pk))[:50]
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "ancestors": selectors.org_ancestors(org),
            "children": selectors.org_children(request.user, org, include_retired=True),
            "cadre_count": Cadre.objects.visible_to(request.user)
            .filter(unit__path__startswith=org.path)
            .count(),
            "history": history if policies.can_view_history(request.user) else [],
            "can_manage": policies.can_manage_orgs(request.user),
        },
    )


def _to_org(org, saved=None) -> str:
    return reverse("orgs:detail", args=[(saved if saved is not None else org).pk])


org_form_page = partial(form_page_of, "orgs/form.html", cancel=_to_org)

org_create = form_view(
    policies.can_manage_orgs,
    get=lambda actor, _pk, parent_pk: selectors.get_org_for(actor, parent_pk),
    form=lambda request, parent: OrgForm(
        request.POST or None, initial={"level": _child_level(parent)}
    ),
    save=lambda request, form, parent: services.org_create(
        actor=request.user, parent=parent, **_org_values(form)
    ),
    success=lambda org: _("已新建“%(name)s”。") % {"name": org.name},
    to=_to_org,
    page=org_form_page(title=lambda parent: _("在“%(name)s”下新建") % {"name": parent.name}),
)
org_edit = form_view(
    policies.can_manage_orgs,
    get=selectors.get_org_for,
    form=lambda request, org: OrgForm(
        request.POST or None,
        initial={"code": org.code, "name": org.name, "level": org.level, "sort": org.sort},
    ),
    save=lambda request, form, org: services.org_update(
        actor=request.user, org=org, **_org_values(form)
    ),
    success=gettext_lazy("已保存。"),
    to=lambda org, _result: _to_org(org),
    page=org_form_page(title=lambda org: _("修改“%(name)s”") % {"name": org.name}),
)


def _move_form(request, org):
    targets = selectors.org_choices(request.user).exclude(path__startswith=org.path)
    return OrgMoveForm(request.POST or None, org_queryset=targets)


def _move(request, form, org):
    services.org_move(actor=request.user, org=org, new_parent=form.cleaned_data["new_parent"])
    return _("已将“%(name)s”移动到“%(name2)s”下。") % {
        "name": org.name,
        "name2": form.cleaned_data["new_parent"].name,
    }


org_move = form_view(
    policies.can_manage_orgs,
    get=selectors.get_org_for,
    form=_move_form,
    save=_move,
    success=lambda said: said,
    to=lambda org, _said: _to_org(org),
    page=org_form_page(title=lambda org: _("移动“%(name)s”") % {"name": org.name}),
)


org_retire = action_view(
    policies.can_manage_orgs,
    get=selectors.get_org_for,
    call=lambda request, org: services.org_retire(actor=request.user, org=org),
    success=lambda org, _result: _("已撤销“%(name)s”。") % {"name": org.name},
    to=lambda org: reverse("orgs:detail", args=[org.pk]),
)


def _org_values(form) -> dict:
    d = form.cleaned_data
    return {"code": d["code"], "name": d["name"], "level": d["level"], "sort": d["sort"] or 0}


def _child_level(parent) -> str:
    return {"city": "county", "county": "township", "township": "village"}.get(
        parent.level, "department"
    )


# --- roster ----------------------------------------------------------------------------------


@require(policies.can_view_roster)
def cadre_list(request):
    form = CadreFilterForm(request.GET, actor=request.user)
    if form.is_valid():
        filters = form.filters()
        page = paginate(request, selectors.cadre_search(request.user, filters))
    else:  # an invalid filter lists nobody and says why (never the whole scope)
        filters, page = CadreFilters(), None
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "unit_pick": UnitPickForm(actor=request.user, unit=filters.unit),
        "query": request.GET.urlencode(),
        "can_edit": policies.can_edit_roster(request.user),
        "can_create_accounts": policies.can_create_trainee_accounts(request.user),
    }
    return page_or_partial(request, "orgs/cadre_list.html", "orgs/_cadre_table.html", context)


@require(policies.can_view_roster)
def cadre_export(request):
    try:
        filters = cadre_filters(request.user, request.GET)
    except InvalidFilter as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('cadres:list')}?{request.GET.urlencode()}")
    cadres = selectors.cadre_search(request.user, filters)
    return audited_download(
        actor=request.user,
        content=write_roster_xlsx(request.user, cadres),
        filename=f"roster-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        object_type="orgs.cadre",
        object_repr="干部名册导出",
        changes={"filter": [None, request.GET.urlencode()]},
    )


@require(policies.can_view_roster)
def cadre_detail(request, pk):
    cadre = selectors.get_cadre_for(request.user, pk)
    return render(request, "orgs/cadre_detail.html", _cadre_context(request, cadre))


def _cadre_context(request, cadre) -> dict:
    return {
        "cadre": cadre,
        "may_reveal": policies.can_reveal_id_number(request.user, cadre),
        "ancestors": selectors.org_ancestors(cadre.unit),
        "can_edit": policies.can_edit_roster(request.user),
        "account": getattr(cadre, "account", None),
        "history": selectors.cadre_history(cadre),
    }


@require_POST
@login_required
def cadre_reveal_id_number(request, pk):
    """The full ID number, on request only, and every showing is audited (PIPL, 等保)."""
    cadre = selectors.get_cadre_for(request.user, pk)
    number = services.cadre_id_number_reveal(actor=request.user, cadre=cadre)
    return HttpResponse(
        f'<span class="font-monospace" data-testid="id-number-full">{number}</span>'
    )


def my_record(request):
    """A trainee's own record page (the 培训档案 later issues extend)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not request.user.cadre_id:
        raise NotFound(_("您的账号未关联干部信息。"))
    cadre = selectors.get_cadre_for(request.user, request.user.cadre_id)
    return render(request, "orgs/cadre_detail.html", _cadre_context(request, cadre))


def _unit_queryset(request):
    return selectors.org_choices(request.user)


def _cadre_form(request, cadre):
    initial = CadreForm.initial_for(cadre) if cadre else None
    return CadreForm(request.POST or None, initial=initial, unit_queryset=_unit_queryset(request))


def _to_cadre(cadre, saved=None) -> str:
    return reverse("cadres:detail", args=[(saved if saved is not None else cadre).pk])


cadre_create = form_view(
    policies.can_edit_roster,
    form=_cadre_form,
    save=lambda request, form, _none: services.cadre_create(
        actor=request.user, data=form.to_data()
    ),
    success=lambda cadre: _("已登记“%(name)s”。") % {"name": cadre.name},
    to=_to_cadre,
    page=form_page_of(
        "orgs/cadre_form.html", title=gettext_lazy("登记干部"), cancel=reverse_lazy("cadres:list")
    ),
)
cadre_edit = form_view(
    policies.can_edit_roster,
    get=selectors.get_cadre_for,
    form=_cadre_form,
    save=lambda request, form, cadre: services.cadre_update(
        actor=request.user, cadre=cadre, data=form.to_data()
    ),
    success=gettext_lazy("已保存。"),
    to=lambda cadre, _result: _to_cadre(cadre),
    page=form_page_of(
        "orgs/cadre_form.html",
        title=lambda cadre: _("修改“%(name)s”") % {"name": cadre.name},
        cancel=_to_cadre,
    ),
)


cadre_delete = action_view(
    policies.can_edit_roster,
    get=selectors.get_cadre_for,
    call=lambda request, cadre: services.cadre_delete(actor=request.user, cadre=cadre),
    success=lambda cadre, _deleted: _("已删除“%(name)s”的记录。") % {"name": cadre.name},
    to=_to_cadre,
    done_to=lambda _cadre, _deleted: reverse("cadres:list"),
)


# --- categories ------------------------------------------------------------------------------


@require(policies.can_manage_orgs)
def category_list(request):
    """人员类别: the configurable list cadres are tagged with; add and rename in place."""
    editing = None
    if request.GET.get("edit"):
        editing = CadreCategory.objects.filter(pk=request.GET["edit"]).first()
    initial = {"code": editing.code, "name": editing.name, "sort": editing.sort} if editing else {}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = CadreCategory.objects.filter(pk=request.POST.get("pk") or None).first()
        if run_action(
            request,
            lambda: services.category_save(
                actor=request.user, category=target, **form.cleaned_data
            ),
            success=_("已保存。"),
            form=form,
        ):
            return redirect("cadres:categories")
    categories = CadreCategory.objects.annotate(n=Count("cadre"))
    return render(
        request,
        "orgs/categories.html",
        {"form": form, "categories": categories, "editing": editing},
    )


# --- the rank correspondence table and personnel categories ----------------------------------


@require(policies.can_manage_orgs)
def rank_table(request):
    """职级对应表: every rank system's ranks and the level each counts as, with its source,
    editable; the personnel categories; and the data-quality list of ranks not placed."""
    editing = None
    if request.GET.get("edit"):
        editing = RankTitle.objects.filter(pk=request.GET["edit"]).first()
    initial = {f: getattr(editing, f) for f in services.RANK_FIELDS} if editing else {}
    form = RankTitleForm(request.POST or None, initial=initial, prefix="rank")
    category_form = PersonnelCategoryForm(
        request.POST if "category-code" in request.POST else None, prefix="category"
    )
    if request.method == "POST":
        if "category-code" in request.POST:
            if handle_form(
                request,
                category_form,
                lambda: services.personnel_category_save(
                    actor=request.user, category=None, **category_form.cleaned_data
                ),
                success=_("已保存。"),
            ):
                return redirect("cadres:ranks")
        elif form.is_valid():
            target = RankTitle.objects.filter(pk=request.POST.get("pk") or None).first()
            if run_action(
                request,
                lambda: services.rank_title_save(
                    actor=request.user, title=target, **form.cleaned_data
                ),
                success=_("已保存。"),
                form=form,
            ):
                return redirect("cadres:ranks")
    context = {
        "form": form,
        "category_form": category_form,
        "editing": editing,
        "titles": RankTitle.objects.annotate(n=Count("cadres")),
        "categories": PersonnelCategory.objects.annotate(n=Count("cadres")),
        "unplaced": selectors.unplaced_ranks(request.user),
    }
    return render(request, "orgs/ranks.html", context)
