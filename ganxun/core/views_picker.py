"""The picker's search answer: a list of options as HTML, rendered (and escaped) by Django."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ganxun.core.picker import LIMIT, clean_query, picker_choices


@login_required
@require_GET
def pick(request, kind):
    query = clean_query(request.GET.get("q"))
    choices, more = picker_choices(request.user, kind, query, request.GET.get("within", ""))
    context = {"choices": choices, "more": more, "limit": LIMIT, "query": query, "kind": kind}
    response = render(request, "core/_picker_options.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
