"""Training effectiveness in the demo: a finished cohort (青年干部履职能力提升班, run by the city
over the last months) with attendance, field follow-ups and a sample checklist, outcomes in
every review state, graduation criteria and graduates holding certificates — the demo trainee
among them — plus graduation criteria on the upcoming 周末知行学堂 so the trainee's 过关斩将
page shows what is still to do. Everything through the outcomes services as the demo
``organizer``, ``contact`` and ``trainee``; attendance rows are written directly (the demo has
no phones to scan with)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.utils import timezone

from ganxun.checkin.models import Attendance
from ganxun.orgs.models import Cadre, Org
from ganxun.outcomes import services
from ganxun.outcomes.models import Outcome
from ganxun.programs.models import Program, ProgramTrainee, Session
from ganxun.programs.services import (
    ProgramData,
    SessionData,
    program_create,
    session_save,
    trainees_add,
)

TRAINEES = 40
CLASSES = ["基层治理现代化的路径", "数字化改革案例研讨", "防汛防台应急处置演练", "共同富裕基层实践"]
# (title, kind, effect value, unit of measure, state) — the contact files them for the township.
UNIT_OUTCOMES = [
    ("镇党委关于推进老旧小区微改造的决定", "decision", None, "", "published"),
    ("“共富工坊”村集体增收项目", "project", "10", "个", "published"),
    ("矛盾纠纷“一站式”调处机制", "mechanism", "35", "%", "accepted"),
    ("防汛“网格+”转移安置案例", "case", "1200", "人", "submitted"),
    ("干部周末学习打卡制度", "other", None, "", "returned"),
]
FOLLOW_UP_NOTES = [
    "把案例研讨中学到的议事协商方法用在了小区改造征求意见中，居民签约率明显提高。",
    "牵头梳理村级集体经济项目清单，新谋划增收项目 3 个。",
    "应急演练后修订了防汛值班和转移预案，汛期零伤亡。",
    "学以致用意识较强，但成效尚待时间检验。",
]


@dataclass(frozen=True)
class OutcomesSummary:
    follow_ups: int
    outcomes: int
    graduates: int


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _saturday_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 5) % 7)


def build_outcomes(users, rng) -> OutcomesSummary:
    organizer, trainee, contact = users["organizer"], users["trainee"], users["contact"]
    township = Org.objects.get(pk=contact.org_id)
    program, sessions = _finished_program(organizer, trainee, township, rng)
    cadres = _attendance(program, sessions, trainee.cadre_id, rng)
    outcomes = _outcomes(program, trainee, contact, organizer, township, cadres, rng)
    follow_ups = _follow_ups(program, organizer, cadres, rng)
    services.rule_save(
        actor=organizer,
        program=program,
        data=services.RuleData(
            issuer="中共甬江市委组织部", min_attendance=Decimal("0.8"), outcome="submitted"
        ),
    )
    result = services.graduates_confirm(
        actor=organizer, program=program, cadre_ids=[c.pk for c in cadres]
    )
    _upcoming_rule(organizer, trainee)
    return OutcomesSummary(follow_ups, outcomes, len(result.issued))


def _finished_program(organizer, trainee, township: Org, rng):
    today = timezone.localdate()
    start, end = today - timedelta(days=150), today - timedelta(days=60)
    program = program_create(
        actor=organizer,
        org=organizer.org,
        data=ProgramData(
            name="青年干部履职能力提升班",
            cohort=1,
            start_date=start,
            end_date=end,
            target_groups="乡镇（街道）35 岁以下年轻干部",
            goals="提升年轻干部基层治理、应急处置和推动发展的本领。",
            status=Program.Status.CLOSED,
        ),
    )
    sessions = []
    for i, title in enumerate(CLASSES):
        day = _saturday_before(start + timedelta(days=14 + 21 * i))
        session, _warnings = session_save(
            actor=organizer,
            program=program,
            data=SessionData(title=title, starts_at=_at(day, 9), ends_at=_at(day, 11, 30)),
            accept_warnings=True,
        )
        sessions.append(session)
    county = Org.objects.get(pk=township.ancestor_ids[1])
    local = list(
        Cadre.objects.filter(unit=township, status=Cadre.Status.ACTIVE)
        .exclude(pk=trainee.cadre_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    others = list(
        Cadre.objects.filter(unit__path__startswith=county.path, status=Cadre.Status.ACTIVE)
        .exclude(unit=township)
        .filter(rank__in=["section_deputy", "general"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = [
        trainee.cadre_id,
        *rng.sample(local, min(9, len(local))),
        *rng.sample(others, min(TRAINEES - 10, len(others))),
    ]
    trainees_add(
        actor=organizer,
        program=program,
        cadres=Cadre.objects.visible_to(organizer).filter(pk__in=chosen),
    )
    return program, sessions


def _attendance(program, sessions: list[Session], trainee_cadre: int, rng) -> list[Cadre]:
    """Most trainees came to every class; some missed one or two (not 80 % then)."""
    rows = ProgramTrainee.objects.filter(program=program).select_related("cadre__unit")
    cadres = [row.cadre for row in rows]
    marks = []
    for cadre in cadres:
        missed = 0 if cadre.pk == trainee_cadre else rng.choice([0, 0, 0, 0, 1, 2])
        absent = set(rng.sample(range(len(sessions)), missed))
        for i, session in enumerate(sessions):
            if i not in absent:
                minute = rng.randint(-15, 8)
                marks.append(
                    Attendance(
                        session=session,
                        cadre=cadre,
                        checked_in_at=session.starts_at + timedelta(minutes=minute),
                        late_minutes=max(minute, 0) if minute > 0 else 0,
                        method=Attendance.Method.QR,
                    )
                )
    Attendance.objects.bulk_create(marks)
    return cadres


def _outcomes(program, trainee, contact, organizer, township, cadres, rng) -> int:
    locals_ = [c for c in cadres if c.unit_id == township.pk]
    mine = services.outcome_submit(
        actor=trainee,
        data=services.OutcomeData(
            program=program,
            title="村级议事协商“六步法”",
            kind=Outcome.Kind.MECHANISM,
            change="把培训中学到的协商议事方法用到村里的道路硬化和垃圾分类议题，"
            "议事会从一年两次变成每月一次，村民提出的 14 条建议有 11 条落实。",
            effect_value="11",
            effect_unit="条建议落实",
        ),
    )
    services.outcome_review(actor=organizer, outcome=mine, decision="accepted")
    services.outcome_publish(actor=organizer, outcome=mine)
    count = 1
    for title, kind, value, unit, state in UNIT_OUTCOMES:
        named = rng.sample(locals_, min(2, len(locals_)))
        outcome = services.outcome_submit(
            actor=contact,
            data=services.OutcomeData(
                program=program,
                title=title,
                kind=kind,
                change=f"{township.name}结合培训所学推动落实：{title}。",
                unit=township,
                effect_value=value,
                effect_unit=unit,
                cadres=named,
            ),
        )
        count += 1
        if state in ("published", "accepted"):
            services.outcome_review(actor=organizer, outcome=outcome, decision="accepted")
        if state == "published":
            services.outcome_publish(actor=organizer, outcome=outcome)
        if state == "returned":
            services.outcome_review(
                actor=organizer,
                outcome=outcome,
                decision="returned",
                note="请补充制度实施后的参学人数和学习成效数据。",
            )
    return count


def _follow_ups(program, organizer, cadres, rng) -> int:
    sample = services.sample_create(actor=organizer, program=program, share="10", seed=2026)
    members = list(sample.members.select_related("cadre", "unit"))
    visited = members[: max(1, len(members) * 2 // 3)]  # some still to visit
    day = program.end_date + timedelta(days=20)
    for i, member in enumerate(visited):
        services.followup_create(
            actor=organizer,
            program=program,
            data=services.FollowUpData(
                visited_on=min(day + timedelta(days=3 * i), timezone.localdate()),
                visitors="市委组织部干部教育科 调研组",
                applied=FOLLOW_UP_NOTES[i % len(FOLLOW_UP_NOTES)],
                rating=rng.choice([3, 4, 4, 5, 5]),
                unit=member.unit,
                cadres=[member.cadre],
            ),
        )
    return len(visited)


def _upcoming_rule(organizer, trainee) -> None:
    """周末知行学堂 (next months) states its criteria up front: the trainee sees them unmet."""
    program = (
        Program.objects.filter(name="周末知行学堂", trainees__cadre_id=trainee.cadre_id)
        .order_by("-start_date")
        .first()
    )
    if program is None:
        return
    services.rule_save(
        actor=organizer,
        program=program,
        data=services.RuleData(
            issuer="中共甬江市委组织部",
            min_attendance=Decimal("0.8"),
            min_forms_share=Decimal("0.8"),
            outcome="accepted",
        ),
    )
