"""Credits objects for tests: plain creates (fast); services are what the tests exercise."""

import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ganxun.checkin.models import Attendance
from ganxun.credits.models import Channel, CreditEntry, Requirement

_n = itertools.count(1)


def make_entry(
    cadre, day: date, hours, channel=Channel.CENTRAL, *, title="测试课程"
) -> CreditEntry:
    source = f"test:{next(_n)}"
    return CreditEntry.objects.create(
        cadre=cadre,
        day=day,
        hours=Decimal(str(hours)),
        channel=channel,
        title=title,
        source=source,
        ref_key=f"{source}/1",
    )


def make_attendance(session, cadre, *, late=0, early=0, checked_out=False) -> Attendance:
    return Attendance.objects.create(
        session=session,
        cadre=cadre,
        checked_in_at=session.starts_at,
        checked_out_at=session.ends_at if checked_out else None,
        late_minutes=late,
        early_minutes=early,
        method=Attendance.Method.MANUAL,
    )


def only_rule(**fields) -> Requirement:
    """Replace the requirements by one rule (tests state the rule they exercise)."""
    Requirement.objects.all().delete()
    defaults = {
        "name": "测试要求",
        "ranks": ["section_main", "general", "county_main"],
        "period": Requirement.Period.YEAR,
        "amount": Decimal("20"),
        "unit": Requirement.Unit.HOURS,
        "channels": [],
        "caps": {},
        "source": "测试依据",
    }
    return Requirement.objects.create(**{**defaults, **fields})


def this_year() -> int:
    return timezone.localdate().year


def foreign_credits(city, other_admin) -> dict:
    """Credits objects of 西山区 keyed by URL prefix (for tests/test_scoping_http.py)."""
    from ganxun.core.jobs import job_start
    from ganxun.orgs.models import Cadre
    from tests.programs.factories import make_program

    cadre = Cadre._base_manager.filter(unit=city.town_b1).first()
    entry = make_entry(cadre, date(2024, 5, 1), 3)
    program = make_program(city.county_b, organizer=other_admin, name="西山区学时班")
    job = job_start(actor=other_admin, kind="learning_preview", title="x", params={})
    requirement = Requirement.objects.first() or only_rule()
    return {
        "credits/org/": city.town_b1.pk,
        "credits/cadre/": cadre.pk,
        "credits/entry/": entry.pk,
        "credits/rules/": requirement.pk,
        "credits/import/": job.pk,
        "credits/program/": program.pk,
    }
