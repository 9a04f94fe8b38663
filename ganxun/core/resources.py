"""Generic list / detail / create / edit views for a resource, and the registry of resources.

NetBox-style: a resource declares its model, fetcher, search, form, services and words once;
``ResourceViews`` makes its views from that, and ``REGISTRY`` lists every resource so the tests
walk all of their pages (the permission matrix in tests/test_scoping_http.py, the query counts
in tests/test_query_counts.py) — a new resource registered here gets those tests for free.

The views stay thin: every read goes through the resource's scoped fetcher or selector, every
write through its keyword-only service; create and edit are ``core.http.form_view``s.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse, reverse_lazy

from ganxun.core.http import form_page_of, form_view, paginate, require

PER_PAGE = 30


@dataclass
class Resource:
    """What the generic views need to know about one resource (``key`` like "lecturer")."""

    key: str
    model: type
    app: str
    plural: str  # the list's URL name and tab: "lecturers"
    get: Callable  # (actor, pk) -> the object, scoped, or 404
    can_view: Callable  # policy (user) -> bool
    can_edit: Callable  # policy (user) -> bool
    search: Callable  # (actor, filters) -> queryset
    filter_form: Callable  # (actor, GET) -> form with .filters()
    form: Callable  # (request, obj or None) -> bound/unbound form
    create: Callable  # (request, form) -> obj
    update: Callable  # (request, form, obj) -> obj
    detail: Callable  # (request, obj, **extra) -> context dict
    edit_title: Callable  # obj -> title of its edit page
    heading: Any = ""  # the list's heading
    new_label: Any = ""  # the list's "new" button
    create_title: Any = ""
    created: Any = ""  # success after create, "{obj}" names the new object
    saved: Any = ""  # success after edit
    list_extra: Callable | None = None  # (request, queryset) -> extra list context
    form_extra: Callable | None = None  # request -> extra form-page context
    multipart: bool = False
    sample_urls: list = field(default_factory=list)  # extra URL names taking the pk (tests)

    def url(self, view: str = "") -> str:
        name = {"list": self.plural, "": self.key}.get(view, f"{self.key}_{view}")
        return f"{self.app}:{name}"


REGISTRY: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    REGISTRY[f"{resource.app}.{resource.key}"] = resource
    return resource


class ResourceViews:
    """The views of one resource. ``page(request, template, tab, context, partial=None)``
    renders a page of the resource's section (its tabs and navigation)."""

    def __init__(self, resource: Resource, *, page: Callable, list_template: str):
        self.r = resource
        self.page = page
        self.list_template = list_template

    # --- list -----------------------------------------------------------------------------
    def list_view(self):
        r = self.r

        @require(r.can_view)
        def view(request):
            form = r.filter_form(request.user, request.GET)
            queryset = r.search(request.user, form.filters())
            actions = []
            if r.can_edit(request.user):
                actions = [(str(r.new_label), reverse(r.url("create")), "btn-primary")]
            context = {
                "heading": str(r.heading),
                "actions": actions,
                "partial": f"{r.app}/_{r.key}_table.html",
                "filter_form": form,
                "page": paginate(request, queryset, PER_PAGE),
                "query": request.GET.urlencode(),
            }
            if r.list_extra:
                context.update(r.list_extra(request, queryset))
            return self.page(request, self.list_template, r.plural, context, context["partial"])

        view.__name__ = f"{r.key}_list"
        return view

    # --- detail ---------------------------------------------------------------------------
    def detail_view(self):
        r = self.r

        @require(r.can_view)
        def view(request, pk, **extra):
            obj = r.get(request.user, pk)
            context = {r.key: obj}
            context.update(r.detail(request, obj, **extra))
            return self.page(request, f"{r.app}/{r.key}_detail.html", r.plural, context)

        view.__name__ = f"{r.key}_detail"
        return view

    # --- create / edit --------------------------------------------------------------------
    def _page(self, title, cancel):
        r = self.r

        def extra(request, obj):
            return {"multipart": r.multipart, **(r.form_extra(request) if r.form_extra else {})}

        return form_page_of(
            f"{r.app}/form.html",
            title=title,
            cancel=cancel,
            extra=extra,
            render_with=lambda request, template, context: self.page(
                request, template, r.plural, context
            ),
        )

    def create_view(self):
        r = self.r
        view = form_view(
            r.can_edit,
            form=r.form,
            save=lambda request, form, _none: r.create(request, form),
            success=lambda obj: str(r.created).format(obj=obj),
            to=lambda _none, obj: reverse(r.url(), args=[obj.pk]),
            page=self._page(lambda _none: str(r.create_title), reverse_lazy(r.url("list"))),
        )
        view.__name__ = f"{r.key}_create"
        return view

    def edit_view(self):
        r = self.r
        view = form_view(
            r.can_edit,
            get=r.get,
            form=r.form,
            save=lambda request, form, obj: r.update(request, form, obj),
            success=lambda _obj: str(r.saved),
            to=lambda obj, _result: reverse(r.url(), args=[obj.pk]),
            page=self._page(r.edit_title, lambda obj: reverse(r.url(), args=[obj.pk])),
        )
        view.__name__ = f"{r.key}_edit"
        return view
