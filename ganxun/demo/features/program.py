"""One program: 周末知行学堂（第1期）, run by the city over the next three calendar months —
three monthly units, classes on the first and third Saturday, 200 cadres of the trainee's
county in two staggered batches, and one outline waiting for the ``reviewer``."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.utils import timezone

from ganxun.core.jobs import run_job
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Program, Venue
from ganxun.programs.services import (
    ProgramData,
    SessionData,
    UnitData,
    VenueData,
    batch_apply,
    batch_solve_start,
    outline_submit,
    program_create,
    session_save,
    trainees_add,
    unit_save,
    venue_save,
)

TRAINEES = 200
BATCHES = 2
# (unit title, theme index, [(course title, lecturer keys) for its two Saturdays])
UNITS = [
    (
        "第一单元 坚定理想信念",
        0,
        [("红色家书中的初心使命", ["zhou"]), ("党的创新理论的核心要义", ["school"])],
    ),
    (
        "第二单元 推动高质量发展",
        1,
        [("数字化改革的实践路径", ["xu"]), ("共同富裕的基层探索", ["county", "yu"])],
    ),
    (
        "第三单元 提升基层治理效能",
        2,
        [("基层矛盾纠纷化解案例研讨", ["he", "shen"]), ("风险防范与应急处置", ["emergency"])],
    ),
]
OUTLINE = """一、红色家书：一封家书里的信仰与担当
二、初心使命的理论逻辑与历史逻辑
三、新时代基层干部如何守初心、担使命
四、互动研讨：我身边的“红色家书”"""


@dataclass(frozen=True)
class ProgramSummary:
    sessions: int
    trainees: int


def _months(today: date, n: int) -> list[tuple[date, date]]:
    """The first and last day of each of the ``n`` calendar months after today's."""
    out, year, month = [], today.year, today.month
    for _ in range(n):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append((date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])))
    return out


def _saturdays(first: date) -> tuple[date, date]:
    """The first and third Saturday of the month that starts on ``first``."""
    saturday = first + timedelta(days=(calendar.SATURDAY - first.weekday()) % 7)
    return saturday, saturday + timedelta(days=14)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def build_program(users, catalogue, rng) -> ProgramSummary:
    organizer, trainee, lecturer = users["organizer"], users["trainee"], users["lecturer"]
    city = organizer.org
    county = Org.objects.get(pk=trainee.cadre.unit.ancestor_ids[1])
    months = _months(timezone.localdate(), len(UNITS))
    main = venue_save(
        actor=organizer,
        data=VenueData(
            name="市委党校报告厅", kind=Venue.Kind.MAIN, address="市委党校主校区", capacity=150
        ),
    )
    video = venue_save(
        actor=organizer,
        data=VenueData(
            name=f"{county.name}委党校视频分课堂",
            kind=Venue.Kind.VIDEO,
            address=f"{county.name}委党校",
            capacity=80,
            serves=county,
        ),
    )
    program = program_create(
        actor=organizer,
        org=city,
        data=ProgramData(
            name="周末知行学堂",
            cohort=1,
            start_date=months[0][0],
            end_date=months[-1][1],
            target_groups=f"{county.name}乡科级及以下干部",
            goals="利用周末时间，学思践悟，知行合一。",
            batch_count=BATCHES,
            reviewers=[users["reviewer"]],
            main_venue=main,
            sub_venues=[video],
        ),
    )
    courses = {c.title: c for c in catalogue.courses}
    sessions = []
    for (title, theme, classes), (first, last) in zip(UNITS, months, strict=True):
        unit = unit_save(
            actor=organizer,
            program=program,
            data=UnitData(
                title=title,
                start_date=first,
                end_date=last,
                theme=catalogue.themes[theme],
                summary_due=last,
            ),
        )
        for day, (course_title, keys) in zip(_saturdays(first), classes, strict=True):
            course = courses[course_title]
            session, _warnings = session_save(
                actor=organizer,
                program=program,
                data=SessionData(
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 11, 30),
                    unit=unit,
                    course=course,
                    form=course.form,
                    lecturers=[catalogue.lecturers[k] for k in keys],
                    main_venue=main,
                    sub_venues=[video],
                ),
                accept_warnings=True,
            )
            sessions.append(session)
    trainees = _add_trainees(organizer, program, county, trainee.cadre, rng)
    _solve_batches(organizer, program)
    # The lecturer account's class furthest ahead: well before its outline deadline.
    mine = [s for s in sessions if catalogue.lecturers["school"] in s.lecturers.all()]
    outline_submit(actor=lecturer, session=mine[-1], text=OUTLINE)
    return ProgramSummary(sessions=len(sessions), trainees=trainees)


def _add_trainees(organizer, program: Program, county: Org, trainee: Cadre, rng) -> int:
    """200 cadres of the county below the county leadership, the demo trainee among them."""
    pool = list(
        Cadre.objects.filter(
            unit__path__startswith=county.path,
            unit__depth__gte=county.depth + 1,
            status=Cadre.Status.ACTIVE,
            rank__in=["section_main", "section_deputy", "general"],
        )
        .exclude(pk=trainee.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = [trainee.pk, *rng.sample(pool, min(TRAINEES - 1, len(pool)))]
    return trainees_add(
        actor=organizer,
        program=program,
        cadres=Cadre.objects.visible_to(organizer).filter(pk__in=chosen),
    )


def _solve_batches(organizer, program: Program) -> None:
    """Run the batch solver once, synchronously (no worker runs yet): the job is recorded as
    usual, and its queued delivery later finds it finished and does nothing."""
    job = batch_solve_start(
        actor=organizer, program=program, batches=BATCHES, min_on_duty=Decimal("0.40")
    )
    run_job.call(str(job.pk))
    # The solve proposes; confirming the preview writes the split (programs.batch_apply).
    batch_apply(actor=organizer, program=program)
