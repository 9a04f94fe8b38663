"""What the enrollment views share: the organizer's sub-tabs of a program, posting to services."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from ganxun.core.errors import DomainError
from ganxun.core.http import apply_domain_error
from ganxun.core.idempotency import submit_once

PROGRAM_TABS = [
    ("quotas", gettext_lazy("名额分配"), "enrollment:program_quotas"),
    ("nominations", gettext_lazy("报名审核"), "enrollment:program_nominations"),
    ("selection", gettext_lazy("自主选学"), "enrollment:program_selection"),
    ("leave", gettext_lazy("请假"), "enrollment:program_leave"),
    ("changes", gettext_lazy("变更通知"), "enrollment:program_changes"),
    ("eligibility", gettext_lazy("培训对象"), "enrollment:program_eligibility"),
]


def program_page(request, template: str, program, tab: str, context: dict):
    context.update(program=program, tab=tab, tabs=PROGRAM_TABS)
    return render(request, template, context)


def run(request, action, *, success: str, form=None) -> bool:
    """Call a service; report success or the refusal (on the form when there is one)."""
    try:
        submit_once(request, action)
    except DomainError as exc:
        if form is not None:
            apply_domain_error(form, exc)
        else:
            messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
