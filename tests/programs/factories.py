"""Programs objects for tests. Plain model creates (fast); services are what tests exercise."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.programs.models import (
    Program,
    ProgramTrainee,
    ProgramUnit,
    Session,
    Venue,
    default_steps,
)
from tests.factories import make_user

_n = itertools.count(1)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def make_program(org, *, organizer=None, start=None, end=None, **extra) -> Program:
    start = start or date(2030, 3, 1)
    end = end or start + timedelta(days=180)
    organizer = organizer or make_user(org, Role.ORGANIZER)
    extra.setdefault("steps", default_steps())
    return Program.objects.create(
        org=org,
        name=extra.pop("name", f"培训项目{next(_n)}"),
        start_date=start,
        end_date=end,
        created_by=organizer,
        **extra,
    )


def make_unit(program, seq=1, *, start=None, end=None, title=None, **extra) -> ProgramUnit:
    return ProgramUnit.objects.create(
        program=program,
        seq=seq,
        title=title or f"单元{seq}",
        start_date=start or program.start_date,
        end_date=end or program.end_date,
        **extra,
    )


def make_venue(owner, name=None, *, kind=Venue.Kind.MAIN, capacity=None, **extra) -> Venue:
    return Venue.objects.create(
        owner=owner, name=name or f"教室{next(_n)}", kind=kind, capacity=capacity, **extra
    )


def make_session(
    program, starts_at, ends_at=None, *, lecturers=(), sub_venues=(), **extra
) -> Session:
    extra.setdefault("title", f"课次{next(_n)}")
    session = Session.objects.create(
        program=program,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(hours=3),
        **extra,
    )
    for lecturer in lecturers:
        Session.lecturers.through.objects.create(session=session, lecturer=lecturer)
    for venue in sub_venues:
        Session.sub_venues.through.objects.create(session=session, venue=venue)
    return session


def enroll(program, cadres, batch=None) -> list[ProgramTrainee]:
    return [ProgramTrainee.objects.create(program=program, cadre=c, batch=batch) for c in cadres]


def foreign_programs(city, other_admin) -> dict:
    """One of each programs object kept by 西山区, keyed by the URL prefix that takes its id —
    for the URL walk in tests/test_scoping_http.py (more specific prefixes first)."""
    from ganxun.core.jobs import job_start
    from ganxun.orgs.models import Cadre
    from ganxun.programs.models import Outline
    from tests.catalog.factories import make_lecturer

    west = city.county_b
    program = make_program(west, organizer=other_admin, name="西山区青年干部班")
    unit = make_unit(program)
    lecturer = make_lecturer(west, "西山讲师甲")
    venue = make_venue(west, "西山区委党校报告厅", capacity=200)
    session = make_session(program, at(date(2030, 3, 9), 9), lecturers=[lecturer], main_venue=venue)
    cadre = Cadre._base_manager.filter(unit=city.town_b1).first()
    trainee = ProgramTrainee.objects.create(program=program, cadre=cadre)
    outline = Outline.objects.create(
        session=session, version=1, text="提纲", submitted_by=other_admin
    )
    job = job_start(actor=other_admin, kind="program_batches", title="x", params={"program": -1})
    return {
        "programs/units/": unit.pk,
        "programs/sessions/": session.pk,
        "programs/outlines/": outline.pk,
        "programs/trainees/": trainee.pk,
        "programs/venues/": venue.pk,
        "programs/lecturers/": lecturer.pk,
        "programs/jobs/": job.pk,
        "programs/my/": program.pk,
        "programs/": program.pk,
    }
