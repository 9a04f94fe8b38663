"""What the programs views share: the program tabs, posting forms to services."""

from functools import partial

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ganxun.core.http import form_page as core_form_page
from ganxun.core.http import form_page_of, tabbed_page
from ganxun.core.http import form_view as core_form_view
from ganxun.core.http import handle_form as core_handle_form
from ganxun.programs import conflicts, policies, selectors
from ganxun.programs.participation import participation
from ganxun.programs.services import ConflictError

TABS = [
    ("overview", gettext_lazy("概览"), "programs:detail"),
    ("sessions", gettext_lazy("课表"), "programs:sessions"),
    ("trainees", pgettext_lazy("tab", "学员"), "programs:trainees"),
    ("batches", gettext_lazy("分批"), "programs:batches"),
    ("outlines", pgettext_lazy("tab", "提纲"), "programs:outlines"),
    ("calendar", gettext_lazy("日历"), "programs:calendar"),
    ("evaluations", gettext_lazy("评估"), "evaluations:program"),
    ("told", gettext_lazy("通知记录"), "programs:told"),
    ("reminders", gettext_lazy("提醒"), "reminders:program"),
]


def _program_tabs_context(request, program) -> dict:
    user = request.user
    staff = policies.can_manage_programs(user) or policies.is_reviewer_of(user, program)
    return {
        "can_manage": policies.can_manage_program(user, program),
        # Trainees see the timetable and calendar; outlines and the overview are for staff,
        # reviewers and lecturers.
        "staff_view": staff,
        "sees_outlines": staff or policies.can_teach(user),
    }


program_page = tabbed_page(TABS, extra=_program_tabs_context)
form_page = partial(core_form_page, template="programs/form.html")
form_in = partial(form_page_of, "programs/form.html")  # the page of a programs form_view


def _show_conflicts(form, exc) -> bool:
    """A timetable conflict lists its clashes on the form (``form.conflicts``); warnings that
    may be accepted show the acceptance box."""
    if not isinstance(exc, ConflictError):
        return False
    form.conflicts = exc.conflicts
    form.add_error(None, exc.message)
    if not exc.blocking and hasattr(form, "show_acceptance"):
        form.show_acceptance()
    return True


def handle_form(request, form, save, *, success=""):
    """core.http.handle_form, with a conflict's clashes on ``form.conflicts``."""
    form.conflicts = []
    return core_handle_form(request, form, save, success=success, on_error=_show_conflicts)


def form_view(policy, *, form, **declared):
    """core.http.form_view, with a conflict's clashes on ``form.conflicts``."""

    def build(request, obj):
        built = form(request, obj)
        built.conflicts = []
        return built

    return core_form_view(policy, form=build, on_error=_show_conflicts, **declared)


def to_detail(program, _result=None) -> str:
    return reverse("programs:detail", args=[program.pk])


def to_session(session, _result=None) -> str:
    return reverse("programs:session", args=[session.pk])


def managed(get):
    """A fetcher of a program's part (a unit, a session) that the actor must manage: the part,
    with its program fetched as managed (403/404 otherwise)."""

    def fetch(actor, pk):
        part = get(actor, pk)
        part.program = selectors.get_managed_program_for(actor, part.program_id)
        return part

    return fetch


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


def warn_duty_coverage(request, *, program, cadre_ids) -> None:
    """After trainees join ``program`` or change batch: units whose leaders would all be away
    on one day across every program, or below the on-duty share (enrollment's coverage)."""
    lines = participation().duty_lines(actor=request.user, program=program, cadre_ids=cadre_ids)
    if lines:
        messages.warning(
            request,
            _("以下单位在培训期间可能无人在岗，请与相关项目协调批次或人选：") + "".join(lines[:10]),
        )
