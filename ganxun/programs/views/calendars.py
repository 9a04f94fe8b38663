"""Month and week calendars per program, lecturer, classroom and trainee. One template; each
view only says which sessions and what the page is called."""

from collections import defaultdict
from datetime import date, timedelta
from functools import partial

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog.selectors import get_lecturer_for
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import require
from ganxun.core.values import query_date, query_int
from ganxun.programs import policies, rooms, selectors
from ganxun.programs.dates import local_day

WEEKDAY_HEADERS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def _day(raw: str) -> date:
    """The day shown; a missing, malformed or far-off ``?date=`` shows today."""
    return query_date(raw) or timezone.localdate()


def calendar_page(request, *, title: str, sessions, extra: dict | None = None, room_of=None):
    """``room_of(session)``: the classroom to show (a trainee's own, ``programs.rooms``)."""
    view = "week" if request.GET.get("view") == "week" else "month"
    day = _day(request.GET.get("date"))
    window = selectors.week_window(day) if view == "week" else selectors.month_window(day)
    by_day = defaultdict(list)
    for s in selectors.in_window(sessions, window):
        if room_of is not None:
            s.my_room = room_of(s)
        by_day[local_day(s.starts_at)].append(s)
    days = []
    current = window.start
    while current < window.end:
        days.append(
            {
                "date": current,
                "sessions": by_day.get(current, []),
                "outside": view == "month" and current.month != day.month,
                "today": current == timezone.localdate(),
            }
        )
        current += timedelta(days=1)
    step = timedelta(days=7) if view == "week" else timedelta(days=31)
    first = day.replace(day=1)
    context = {
        "title": title,
        "view": view,
        "day": day,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "headers": WEEKDAY_HEADERS,
        "prev": (day - step) if view == "week" else (first - timedelta(days=1)).replace(day=1),
        "next": (day + step) if view == "week" else (first + step).replace(day=1),
        "total": sum(len(d["sessions"]) for d in days),
    }
    context.update(extra or {})
    return render(request, "programs/calendar.html", context)


@require(policies.can_use_programs)
def program_calendar(request, pk):
    program = selectors.get_program_for(request.user, pk)
    sessions = selectors.program_sessions(program)
    batch = request.GET.get("batch", "")
    if (number := query_int(batch, min_value=0)) is not None:
        sessions = sessions.filter(Q(batch=number) | Q(batch__isnull=True))
    extra = {
        "program": program,
        "batch": batch,
        "tab": "calendar",
        "can_manage": policies.can_manage_program(request.user, program),
    }
    return calendar_page(
        request,
        title=_("%(full_name)s · 日历") % {"full_name": program.full_name},
        sessions=sessions,
        extra=extra,
    )


@require(policies.can_manage_programs)
def lecturer_calendar(request, pk):
    lecturer = get_lecturer_for(request.user, pk)
    sessions = selectors.lecturer_calendar_sessions(request.user, lecturer)
    return calendar_page(
        request, title=_("%(name)s 的授课日历") % {"name": lecturer.name}, sessions=sessions
    )


@require(policies.can_manage_programs)
def venue_calendar(request, pk):
    venue = selectors.get_venue_for(request.user, pk)
    sessions = selectors.venue_sessions(request.user, venue)
    return calendar_page(
        request, title=_("%(name)s 的使用日历") % {"name": venue.name}, sessions=sessions
    )


def _my_room(assigned: dict, session):
    return rooms.session_room(session, assigned.get(session.program_id))


@require(policies.can_use_programs)
def my_calendar(request):
    """A trainee's own sessions, or a lecturer's own teaching."""
    user = request.user
    room_of = None
    if policies.is_trainee(user):
        rows = selectors.my_trainee_rows(user)
        sessions = selectors.trainee_sessions(user, rows)
        title = _("我的课表")
        room_of = partial(_my_room, {r.program_id: r.venue for r in rows})
    elif policies.can_teach(user):
        sessions = selectors.lecturer_sessions(user, upcoming=False)
        title = _("我的授课日历")
    else:
        raise PermissionDenied()
    return calendar_page(
        request, title=title, sessions=sessions, extra={"mine": True}, room_of=room_of
    )
