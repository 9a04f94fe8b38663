"""What the catalogue's thin views share: the section's tabs, form posting, share and delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.catalog import policies, services
from ganxun.core.errors import DomainError
from ganxun.core.http import apply_domain_error, page_or_partial, paginate, require
from ganxun.core.idempotency import submit_once

PER_PAGE = 30


def section(request, template: str, tab: str, context: dict, partial: str | None = None):
    """Render a page of the 课程与师资 section with its tabs."""
    user = request.user
    context.update(
        tab=tab,
        can_edit=policies.can_edit_catalog(user),
        can_see_calls=policies.can_see_calls(user),
        can_view_catalog=policies.can_view_catalog(user),
    )
    if partial:
        return page_or_partial(request, template, partial, context)
    return render(request, template, context)


def list_page(request, *, tab, heading, partial, filter_form, queryset, actions=(), **extra):
    """One list layout for every resource: heading, actions, filters, the table (htmx-swapped)."""
    page = paginate(request, queryset, PER_PAGE)
    context = {
        "heading": heading,
        "actions": actions,
        "partial": partial,
        "filter_form": filter_form,
        "page": page,
        "query": request.GET.urlencode(),
    }
    context.update(extra)
    return section(request, "catalog/list.html", tab, context, partial)


def new_action(request, label: str, url_name: str) -> list[tuple[str, str, str]]:
    if not policies.can_edit_catalog(request.user):
        return []
    return [(label, reverse(url_name), "btn-primary")]


def handle_form(request, form, save, *, success: str):
    """POST → call the service; a refusal lands on the form field it names. Returns the saved
    object, or None when the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = submit_once(request, save)
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None
    messages.success(request, success.format(obj=obj))
    return obj


def form_page(
    request, form, *, tab: str, title: str, cancel: str, multipart: bool = False, **extra
):
    context = {"form": form, "title": title, "cancel": cancel, "multipart": multipart}
    context.update(extra)
    return section(request, "catalog/form.html", tab, context)


def share_view(getter, url_name: str):
    """POST shared=1/0: publish the resource to the parent's subtree, or take it back."""

    @require_POST
    @require(policies.can_edit_catalog)
    def view(request, pk):
        resource = getter(request.user, pk)
        shared = request.POST.get("shared") == "1"
        try:
            services.resource_share(actor=request.user, resource=resource, shared=shared)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            done = (
                _("已推荐“%(resource)s”给上级共享。") % {"resource": resource}
                if shared
                else _("已取消“%(resource)s”的推荐共享。") % {"resource": resource}
            )
            messages.success(request, done)
        return redirect(url_name, pk=pk)

    return view


def delete_view(getter, service, *, done_url: str, back_url: str):
    @require_POST
    @require(policies.can_edit_catalog)
    def view(request, pk):
        obj = getter(request.user, pk)
        name = str(obj)
        try:
            service(request.user, obj)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back_url, pk=pk)
        messages.success(request, _("已删除“%(name)s”。") % {"name": name})
        return redirect(done_url)

    return view


def can_edit(request, obj) -> bool:
    return policies.can_edit_resource(request.user, obj)
