"""What the catalogue's thin views share: the section's tabs, form posting, share and delete."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.catalog import policies, services
from ganxun.core.http import form_page_of, page_or_partial, post_action, require, run_action
from ganxun.core.resources import Resource, ResourceViews, register


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


def resource_views(resource: Resource) -> ResourceViews:
    """The generic views of a catalogue resource, rendered inside the section's tabs."""
    return ResourceViews(register(resource), page=section, list_template="catalog/list.html")


def form_in(tab: str, *, title, cancel, multipart: bool = False, extra=None):
    """The ``page`` of a catalogue ``form_view``: the form inside the section's tabs."""
    return form_page_of(
        "catalog/form.html",
        title=title,
        cancel=cancel,
        render_with=lambda request, template, context: section(request, template, tab, context),
        extra=lambda request, obj: {
            "multipart": multipart,
            **(extra(request, obj) if extra is not None else {}),
        },
    )


def share_view(getter, url_name: str):
    """POST shared=1/0: publish the resource to the parent's subtree, or take it back."""

    @require_POST
    @require(policies.can_edit_catalog)
    def view(request, pk):
        resource = getter(request.user, pk)
        shared = request.POST.get("shared") == "1"
        done = (
            _("已推荐“%(resource)s”给上级共享。") % {"resource": resource}
            if shared
            else _("已取消“%(resource)s”的推荐共享。") % {"resource": resource}
        )
        return post_action(
            request,
            lambda: services.resource_share(actor=request.user, resource=resource, shared=shared),
            success=done,
            to=url_name,
            pk=pk,
        )

    return view


def delete_view(getter, service, *, done_url: str, back_url: str):
    @require_POST
    @require(policies.can_edit_catalog)
    def view(request, pk):
        obj = getter(request.user, pk)
        done = _("已删除“%(name)s”。") % {"name": str(obj)}
        if run_action(request, lambda: service(request.user, obj), success=done):
            return redirect(done_url)
        return redirect(back_url, pk=pk)

    return view


def can_edit(request, obj) -> bool:
    return policies.can_edit_resource(request.user, obj)
