"""Small helpers shared by the thin views of every app."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from ganxun.core.errors import PermissionDenied


def require(policy):
    """Login, then ``policy(user)`` must hold; otherwise the 403 page."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not policy(request.user):
                raise PermissionDenied()
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def page_or_partial(request, template: str, partial: str, context: dict):
    """One view, two renderings: the whole page, or the part an htmx request swaps in."""
    if request.htmx and not request.htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def apply_domain_error(form, exc) -> None:
    """Show a service's refusal on the form field it names, or on the form as a whole."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
