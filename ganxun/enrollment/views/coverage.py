"""Duty coverage across trainings: warnings where trainees are nominated or confirmed, and the
organization department's page of days per county (``enrollment.coverage``)."""

import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.fetch import get_or_404
from ganxun.core.http import require
from ganxun.enrollment.coverage import duty_coverage, enrolment_warnings, gap_line
from ganxun.orgs.models import Org
from ganxun.programs import policies as program_policies
from ganxun.programs.models import ProgramTrainee

MAX_LINES = 10
PER_DAY = 30


def _worst(gap) -> tuple:
    return (not gap.leaders, gap.unit_name)


def _say(request, lines: list[str]) -> None:
    if lines:
        text = _("以下单位在培训期间可能无人在岗，请与相关项目协调批次或人选：") + "".join(
            lines[:MAX_LINES]
        )
        if len(lines) > MAX_LINES:
            text += _("另有 %(n)s 条。") % {"n": len(lines) - MAX_LINES}
        messages.warning(request, text)


def _hypothetical(nominations) -> list[ProgramTrainee]:
    return [
        ProgramTrainee(program_id=n.program_id, cadre_id=n.cadre_id, batch=n.quota.batch)
        for n in nominations
    ]


def duty_notes(actor, program, nominations) -> list[str]:
    """For the confirmation preview: gaps the chosen nominees would cause (not yet written)."""
    pending = [n for n in nominations if n.status == n.Status.PENDING]
    if not pending:
        return []
    return enrolment_warnings(
        actor=actor,
        program=program,
        cadre_ids=[n.cadre_id for n in pending],
        extra=_hypothetical(pending),
    )[:MAX_LINES]


def warn_duty_coverage(request, *, program, cadre_ids) -> None:
    """After nominees are confirmed (their trainee rows exist)."""
    _say(request, enrolment_warnings(actor=request.user, program=program, cadre_ids=cadre_ids))


def warn_nominee_coverage(request, nomination) -> None:
    """After a unit contact nominates someone: as if the nomination were confirmed."""
    _say(
        request,
        enrolment_warnings(
            actor=request.user,
            program=nomination.program,
            cadre_ids=[nomination.cadre_id],
            extra=_hypothetical([nomination]),
        ),
    )


def _month(raw: str) -> date:
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@require(program_policies.can_manage_programs)
def coverage_page(request):
    """在岗情况: for a county (or the actor's whole org) and a month, the days on which a
    unit's leaders are all away at trainings, or fewer than the on-duty share stay at work."""
    actor = request.user
    org = actor.org
    if request.GET.get("org"):
        org = get_or_404(Org.objects.visible_to(actor), request.GET["org"])
    first = _month(request.GET.get("month", ""))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    found = duty_coverage(actor=actor, org=org, start=first, end=last)
    by_day: dict[date, list] = defaultdict(list)
    for gap in found.gaps:
        by_day[gap.day].append(gap)
    weeks = [
        [(d, len(by_day.get(d, ())), d.month == first.month) for d in week]
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month)
    ]
    choices = [actor.org, *Org.objects.visible_to(actor).filter(parent=actor.org).order_by("code")]
    prev = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    nxt = (last + timedelta(days=1)).replace(day=1)
    return render(
        request,
        "enrollment/coverage.html",
        {
            "org": org,
            "choices": [o for o in choices if o is not None],
            "month": first,
            "prev": prev,
            "next": nxt,
            "weeks": weeks,
            # leaders' gaps first; a long day is cut (the calendar keeps the full count)
            "days": [
                (
                    d,
                    [(g, gap_line(g)) for g in sorted(by_day[d], key=_worst)[:PER_DAY]],
                    max(len(by_day[d]) - PER_DAY, 0),
                )
                for d in sorted(by_day)
            ],
            "leaderless": found.units_without_leaders,
        },
    )
