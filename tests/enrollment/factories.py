"""Enrollment objects for tests: plain creates; the services are what tests exercise."""

from datetime import timedelta

from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import Notice
from ganxun.enrollment.models import LeaveRequest, Nomination, Quota, Seat
from ganxun.programs.models import ProgramTrainee
from tests.factories import CadreFactory, make_user
from tests.programs.factories import make_program, make_session


def make_quota(program, org, seats=2, *, kind=Quota.Kind.QUOTA, batch=None) -> Quota:
    return Quota.objects.create(
        program=program, org=org, seats=seats, kind=kind, batch=batch, created_by=program.created_by
    )


def soon(hours: float = 48):
    return timezone.now() + timedelta(hours=hours)


def make_selectable(program, *, capacity=2, hours_ahead=48, deadline=None, **extra):
    """A self-selectable session starting ``hours_ahead`` from now (selection still open)."""
    start = soon(hours_ahead)
    return make_session(
        program,
        start,
        start + timedelta(hours=2),
        self_selectable=True,
        capacity=capacity,
        selection_deadline=deadline,
        **extra,
    )


def trainee_account(unit, name=None):
    cadre = CadreFactory(unit=unit, **({"name": name} if name else {}))
    return make_user(unit, Role.TRAINEE, cadre=cadre)


def foreign_enrollment(city, other_admin) -> dict:
    """One of each enrollment object kept by 西山区, keyed by URL prefix, for the URL walk."""
    west = city.county_b
    program = make_program(west, organizer=other_admin, name="西山区自主选学")
    session = make_selectable(program, capacity=5)
    cadre = CadreFactory(unit=city.town_b1, name="西山学员")
    user = make_user(city.town_b1, Role.TRAINEE, cadre=cadre)
    quota = make_quota(program, city.town_b1)
    nomination = Nomination.objects.create(
        quota=quota, program=program, cadre=cadre, nominated_by=other_admin
    )
    ProgramTrainee.objects.create(program=program, cadre=cadre)
    seat = Seat.objects.create(session=session, cadre=cadre, status=Seat.Status.ENROLLED)
    leave = LeaveRequest.objects.create(session=session, cadre=cadre, reason="出差")
    notice = Notice.objects.create(user=user, kind="x", title="西山通知")
    return {
        "enrollment/programs/": program.pk,
        "enrollment/quotas/": quota.pk,
        "enrollment/nominations/": nomination.pk,
        "enrollment/sessions/": session.pk,
        "enrollment/seats/": seat.pk,
        "enrollment/leave/": leave.pk,
        "enrollment/inbox/": notice.pk,
    }
