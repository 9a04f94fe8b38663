"""Small helpers shared by the thin views of every app."""

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.bulk import bulk_confirmed
from ganxun.core.errors import DomainError, PermissionDenied
from ganxun.core.idempotency import submit_once
from ganxun.core.values import query_int


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


# --- one way to post an action, one way to post a form --------------------------------------
# Every POST view used to spell out: call the service, flash its success or its refusal, then
# redirect. These helpers are that one shape; views pass the call and the words.


@dataclass
class Outcome:
    """What ``attempt`` or ``run_action`` did: ``ok`` when the service accepted, with its
    ``result``; otherwise the refusal's ``error`` (its message) and ``exc``."""

    ok: bool
    result: Any = None
    error: str = ""
    exc: DomainError | None = None

    def __bool__(self) -> bool:
        return self.ok


def _say(success, result) -> str:
    return success(result) if callable(success) else (success or "")


def attempt(call, *, passes=()) -> Outcome:
    """The one place a view catches a service's refusal: ``call()``, and the ``Outcome``.
    Refusals of the kinds in ``passes`` (NotFound, PermissionDenied) go on up to their error
    page. Views show ``outcome.error`` where they like (an htmx row, a form, a message)."""
    try:
        return Outcome(True, call())
    except DomainError as exc:
        if isinstance(exc, passes):
            raise
        return Outcome(False, error=exc.message, exc=exc)


def run_action(request, call, *, success="", form=None, once: bool = True, passes=()) -> Outcome:
    """Call ``call()`` (a service); flash ``success`` (text, or a function of the result) or the
    DomainError's message — on ``form`` when one is given. ``once`` claims the form's
    submission key in the same transaction (core/idempotency.py); refusals of the kinds in
    ``passes`` (NotFound, PermissionDenied) go on up to their error page."""
    outcome = attempt((lambda: submit_once(request, call)) if once else call, passes=passes)
    if not outcome:
        if form is not None:
            apply_domain_error(form, outcome.exc)
        else:
            messages.error(request, outcome.error)
        return outcome
    text = _say(success, outcome.result)
    if text:
        messages.success(request, text)
    return outcome


def post_action(request, call, *, success="", to, once: bool = True, passes=(), **url_kwargs):
    """The whole POST-and-redirect view body: ``run_action`` then redirect to ``to`` (a URL name
    with ``url_kwargs``, a URL, or a model instance) whatever the outcome."""
    run_action(request, call, success=success, once=once, passes=passes)
    return redirect(to, **url_kwargs)


def handle_form(request, form, save, success="", *, on_error=None):
    """POST → validate, then ``save()`` once per submission key; a refusal lands on the form
    field it names (``on_error(form, exc)`` may take a kind of refusal first and return True).
    Returns the saved result (True when the service returns nothing), or None when the form is
    to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    outcome = attempt(lambda: submit_once(request, save))
    if not outcome:
        if on_error is None or not on_error(form, outcome.exc):
            apply_domain_error(form, outcome.exc)
        return None
    result = outcome.result
    text = _say(success, result)
    if text:
        messages.success(request, text)
    return True if result is None else result  # saved, even by a service that returns nothing


def _value(value, *args):
    """A declared value: a plain value, or a function of the view's objects."""
    return value(*args) if callable(value) and not isinstance(value, Promise) else value


def form_view(
    policy,
    *,
    form,
    save,
    to,
    page,
    get=None,
    success="",
    after=None,
    on_error=None,
    post_only: bool = False,
):
    """A form page declared rather than written (NetBox style): the create and edit views.

    ``get(actor, pk)`` fetches the object the URL names (an object to edit, or the parent a new
    one is made in; the URL's other parts come as keywords; omit it for a view without a pk).
    ``form(request, obj)`` builds the form (bound to ``request.POST or None``);
    ``save(request, form, obj)`` is the one service call, made once per submission key by
    ``handle_form`` (refusals on the field they name, ``on_error`` as there). On success:
    ``success`` (text, or ``success(result)``) is flashed, ``after(request, result)`` may say
    more (warnings), and the view redirects to ``to(obj, result)`` (a URL, or a model
    instance); otherwise ``page(request, form, obj)`` renders the form again (``form_page_of``
    makes one). ``post_only``: a form posted from another page (its ``page`` then renders that
    page again, with status 400)."""

    @require(policy)
    def view(request, pk=None, **parts):
        obj = get(request.user, pk, **parts) if get is not None else None
        bound = form(request, obj)
        result = handle_form(
            request, bound, lambda: save(request, bound, obj), success, on_error=on_error
        )
        if result:
            if after is not None:
                after(request, result)
            return redirect(to(obj, result))
        return page(request, bound, obj)

    return require_POST(view) if post_only else view


def form_page_of(
    template: str, *, title, cancel, render_with=render, extra=None, status=200, **more
):
    """The ``page`` of a ``form_view``: ``template`` with the form, its ``title``, ``cancel``
    link and ``more`` (``program``, ``guidance`` …: each a value or a function of the object),
    and ``extra(request, obj)``."""

    def page(request, form, obj):
        context = {"form": form, "title": _value(title, obj), "cancel": _value(cancel, obj)}
        context.update({name: _value(value, obj) for name, value in more.items()})
        if extra is not None:
            context.update(extra(request, obj))
        response = render_with(request, template, context)
        response.status_code = status
        return response

    return page


@dataclass
class BulkStep:
    """Where a preview-then-write post stands: a ``preview`` to show (the first post, or a
    stale one again), or ``done``, the write's result once confirmed and accepted."""

    preview: Any = None
    done: Any = None
    ok: bool = False


def bulk_step(request, form, *, preview, write) -> BulkStep:
    """The POST of a bulk action (core/bulk.py) whose ``form`` is valid: ``preview()`` on the
    first post, ``write(fingerprint)`` on confirming that preview. A refusal lands on the form;
    a stale preview (``preview_stale``: the rows changed meanwhile) is shown again, new."""
    confirmed, fingerprint = bulk_confirmed(request)
    outcome = attempt((lambda: write(fingerprint)) if confirmed else preview)
    if outcome and confirmed:
        return BulkStep(done=outcome.result, ok=True)
    if outcome:
        return BulkStep(preview=outcome.result)
    apply_domain_error(form, outcome.exc)
    stale = outcome.exc is not None and outcome.exc.code == "preview_stale"
    return BulkStep(preview=preview() if stale else None)


def form_page(
    request, form, *, template: str, title: str, cancel: str, render_with=render, **extra
):
    """The page a form is shown on: its title, the form, a cancel link, and what else the
    template wants (``program``, ``guidance``, ``multipart`` …). ``render_with(request,
    template, context)`` lets a section add its tabs."""
    context = {"form": form, "title": title, "cancel": cancel}
    context.update(extra)
    return render_with(request, template, context)


def tabbed_page(tabs, *, extra=None):
    """A page renderer for the tabs of one object (a program's sub-pages): the returned
    ``page(request, template, obj, tab, context)`` adds the object as ``program``, the tabs,
    and ``extra(request, obj)``."""

    def page(request, template: str, obj, tab: str, context: dict):
        context.update(program=obj, tab=tab, tabs=tabs)
        if extra is not None:
            context.update(extra(request, obj))
        return render(request, template, context)

    return page


def _reminded(result: dict) -> str:
    text = _("已提醒 %(units)s 个单位，发出 %(notices)s 条消息。") % result
    if result["skipped"]:
        text += _("另有 %(skipped)s 个单位今天已提醒过，未重复提醒。") % result
    return text


def remind_view(policy, *, get, field: str, units, remind, missing, to):
    """提醒 the units that have not answered, as a POST-only view of one object (a call, a
    program): ``POST[field]`` names one of ``units(obj)`` (the others are left alone), or is
    empty for all of them; ``remind(actor, obj, units or None)`` is the service, returning
    counts of units, notices and units skipped (reminded today already)."""

    @require_POST
    @require(policy)
    def view(request, pk):
        obj = get(request.user, pk)
        chosen = None
        if request.POST.get(field):
            unit_id = query_int(request.POST[field])
            chosen = [unit for unit in units(obj) if unit.pk == unit_id]
            if not chosen:
                messages.error(request, str(missing))
                return redirect(to(obj))
        return post_action(
            request, lambda: remind(request.user, obj, chosen), success=_reminded, to=to(obj)
        )

    return view


def action_view(
    policy, *, get, call, to, success="", done_to=None, form=None, invalid="", once=True, passes=()
):
    """A POST-only view that acts on one object, declared rather than written (NetBox style):
    ``get(actor, pk)`` fetches it scoped (with the URL's other parts, ``get(actor, pk, cid=…)``);
    ``call(request, obj)`` is the service — with ``form``
    (a small form class of the posted fields) it is ``call(request, obj, cleaned_data)``, and an
    invalid post says ``invalid`` and goes back. ``success`` is text or ``success(obj, result)``
    (``success(obj, data, result)`` with a form). ``to(obj)`` is where to go, or on success
    ``done_to(obj, result)`` when given."""

    @require_POST
    @require(policy)
    def view(request, pk, **parts):
        obj = get(request.user, pk, **parts)
        args: tuple = ()
        if form is not None:
            posted = form(request.POST)
            if not posted.is_valid():
                messages.error(request, str(invalid))
                return redirect(to(obj))
            args = (posted.cleaned_data,)
        said = (lambda result: success(obj, *args, result)) if callable(success) else str(success)
        outcome = run_action(
            request, lambda: call(request, obj, *args), success=said, once=once, passes=passes
        )
        if outcome and done_to is not None:
            return redirect(done_to(obj, outcome.result))
        return redirect(to(obj))

    return view
