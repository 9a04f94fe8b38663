"""What the programs views share: the program tabs, posting forms to services."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ganxun.core.errors import DomainError
from ganxun.core.http import apply_domain_error
from ganxun.core.idempotency import submit_once
from ganxun.programs import conflicts, policies
from ganxun.programs.services import ConflictError

TABS = [
    ("overview", gettext_lazy("概览"), "programs:detail"),
    ("sessions", gettext_lazy("课表"), "programs:sessions"),
    ("trainees", pgettext_lazy("tab", "学员"), "programs:trainees"),
    ("batches", gettext_lazy("分批"), "programs:batches"),
    ("outlines", pgettext_lazy("tab", "提纲"), "programs:outlines"),
    ("calendar", gettext_lazy("日历"), "programs:calendar"),
    ("evaluations", gettext_lazy("评估"), "evaluations:program"),
]


def program_page(request, template: str, program, tab: str, context: dict):
    user = request.user
    staff = policies.can_manage_programs(user) or policies.is_reviewer_of(user, program)
    context.update(
        program=program,
        tab=tab,
        tabs=TABS,
        can_manage=policies.can_manage_program(user, program),
        # Trainees see the timetable and calendar; outlines and the overview are for staff,
        # reviewers and lecturers.
        staff_view=staff,
        sees_outlines=staff or policies.can_teach(user),
    )
    return render(request, template, context)


def handle_form(request, form, save, *, success: str):
    """POST → call the service; a refusal lands on the form field it names. Returns the result,
    or None when the form is to be shown (again). Conflicts go to ``form.conflicts``."""
    form.conflicts = []
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = submit_once(request, save)
    except ConflictError as exc:
        form.conflicts = exc.conflicts
        form.add_error(None, exc.message)
        if not exc.blocking and hasattr(form, "show_acceptance"):
            form.show_acceptance()
        return None
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None
    messages.success(request, success)
    return result


def form_page(request, form, *, title: str, cancel: str, program=None, **extra):
    context = {"form": form, "title": title, "cancel": cancel, "program": program}
    context.update(extra)
    return render(request, "programs/form.html", context)


def show_warnings(request, warnings) -> None:
    """Warnings the organizer accepted stay visible after the save."""
    for w in warnings:
        messages.warning(request, w.message)


def warn_double_bookings(request, *, program, cadre_ids) -> None:
    """After trainees join ``program`` (nominations confirmed, people added): say who is now
    booked twice — in this program and another at the same time — by the one rule."""
    found = conflicts.trainee_double_bookings(cadre_ids=cadre_ids, program_id=program.pk)
    lines = conflicts.double_booking_lines(found, actor=request.user)
    if lines:
        messages.warning(request, _("以下学员同一时间另有课，请与相关项目协调：") + "".join(lines))
