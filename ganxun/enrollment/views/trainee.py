"""The trainee's phone pages: the self-selection menu, my picks, leave requests."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.http import require, run_action
from ganxun.enrollment import policies, selectors, services
from ganxun.enrollment.forms import LeaveForm, MenuFilterForm


@require(policies.can_select)
def menu(request):
    """自主选学菜单: upcoming self-selectable sessions, filtered by theme and teaching form."""
    themes = selectors.menu_themes(request.user)
    filters = MenuFilterForm(request.GET or None, themes=themes)
    theme = form = ""
    if filters.is_valid():
        theme, form = filters.cleaned_data["theme"], filters.cleaned_data["form"]
    sessions = selectors.menu_sessions(request.user, theme=theme, form=form)
    return render(request, "enrollment/menu.html", {"sessions": sessions, "filters": filters})


@require_POST
@require(policies.can_select)
def pick(request, pk):
    session = selectors.get_menu_session_for(request.user, pk)
    result = []
    ok = run_action(
        request,
        lambda: result.append(services.seat_pick(actor=request.user, session=session)),
        success=_("已选“%(title)s”。") % {"title": session.title},
    )
    if ok and result[0].status == "waitlisted":
        from django.contrib import messages

        # Replace the plain success with what actually happened.
        list(messages.get_messages(request))
        messages.warning(
            request,
            _("“%(title)s”名额已满，您已进入候补，有人退选会自动递补。") % {"title": session.title},
        )
    return redirect("enrollment:my_seats" if ok else "enrollment:menu")


@require(policies.can_select)
def my_seats(request):
    return render(request, "enrollment/my_seats.html", {"seats": selectors.my_seats(request.user)})


@require_POST
@require(policies.can_select)
def seat_cancel(request, pk):
    seat = selectors.get_seat_for(request.user, pk)
    run_action(
        request,
        lambda: services.seat_cancel(actor=request.user, seat=seat),
        success=_("已退选“%(title)s”。") % {"title": seat.session.title},
    )
    return redirect("enrollment:my_seats")


@require(policies.is_trainee)
def my_leave(request):
    context = {
        "requests": selectors.my_leave(request.user),
        "sessions": selectors.leave_candidates(request.user),
    }
    return render(request, "enrollment/my_leave.html", context)


@require(policies.is_trainee)
def leave_new(request, pk):
    session = selectors.get_leave_session_for(request.user, pk)
    form = LeaveForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            lambda: services.leave_request(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            ),
            success=_("已提交请假申请，等待单位审批。"),
            form=form,
        )
    ):
        return redirect("enrollment:my_leave")
    started = session.starts_at <= timezone.now()
    context = {"session": session, "form": form, "started": started}
    return render(request, "enrollment/leave_new.html", context)


@require_POST
@require(policies.is_trainee)
def leave_withdraw(request, pk):
    leave = selectors.get_leave_for(request.user, pk)
    run_action(
        request,
        lambda: services.leave_withdraw(actor=request.user, leave=leave),
        success=_("已撤回请假。"),
    )
    return redirect("enrollment:my_leave")
