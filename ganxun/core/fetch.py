"""Fetching one object by the id a URL or a form carries: scoped, or 404.

Every selector's ``get_*_for(actor, pk)`` ends here, so an id that is not a positive integer
("abc", "0", "²", 2⁶⁴) and an object outside the actor's scope both answer 404 the same way.
"""

from typing import Any

from django.db.models import QuerySet

from ganxun.core.errors import NotFound
from ganxun.core.values import query_int


def get_or_404(qs: QuerySet, pk):
    """The object of the (already scoped) queryset ``qs`` with this pk, or NotFound."""
    pk = query_int(pk, min_value=1)  # "²".isdigit() is true, int("²") is not
    obj = qs.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound()
    return obj


def get_visible_or_404(model: Any, actor, pk, related=()):
    """The object of ``model`` (a scoped model) with this pk that ``actor`` may see, or
    NotFound."""
    return get_or_404(model.objects.visible_to(actor).select_related(*related), pk)
