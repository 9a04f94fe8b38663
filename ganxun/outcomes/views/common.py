"""What the outcomes views share: the program's outcome tabs and posting forms to services."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from ganxun.core.errors import DomainError
from ganxun.core.http import apply_domain_error
from ganxun.core.idempotency import submit_once
from ganxun.outcomes import policies

TABS = [
    ("summary", gettext_lazy("四级评估"), "outcomes:summary"),
    ("graduation", gettext_lazy("结业"), "outcomes:graduation"),
    ("loop", gettext_lazy("学习闭环"), "outcomes:loop"),
    ("outcomes", gettext_lazy("学用成果"), "outcomes:program_outcomes"),
    ("followups", gettext_lazy("一线调研"), "outcomes:followups"),
    ("showcase", gettext_lazy("成果展示"), "outcomes:showcase"),
]


def program_page(request, template: str, program, tab: str, context: dict):
    context.update(
        program=program,
        tab=tab,
        tabs=TABS,
        can_manage=policies.can_manage(request.user, program),
    )
    return render(request, template, context)


def handle_form(request, form, save, *, success: str):
    """POST → call the service; a refusal lands on the form field it names. Returns the result,
    or None when the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = submit_once(request, save)
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None
    messages.success(request, success)
    return result


def form_page(request, form, *, title: str, cancel: str, program=None, **extra):
    context = {"form": form, "title": title, "cancel": cancel, "program": program}
    context.update(extra)
    return render(request, "outcomes/form.html", context)
