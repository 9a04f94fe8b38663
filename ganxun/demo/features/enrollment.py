"""Enrollment in the demo: quotas of 周末知行学堂 for the contact's township (with nominations
confirmed, returned and pending) and a ride-along quota for a neighbouring county; the city's
自主选学 menu program with two Sunday sessions (one with seats, one full with a waitlist) the
trainee can pick on a phone and a per-program limit; a pending leave request for the contact."""

from dataclasses import dataclass
from datetime import timedelta

from ganxun.catalog.models import TeachingForm
from ganxun.enrollment.models import Quota, Seat
from ganxun.enrollment.services import (
    leave_request,
    nomination_create,
    nomination_return,
    nominations_confirm,
    quota_save,
    seat_pick,
    selection_rules_save,
)
from ganxun.enrollment.services.quotas import send_confirmation_notice
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.models import Channel, Program, ProgramTrainee, Session
from ganxun.programs.services import ProgramData, SessionData, program_create, session_save

# (title, form, capacity, days after the first class, seats already taken by others)
ELECTIVES = [
    ("数字政府建设专题（选学）", TeachingForm.WORKSHOP, 40, 1, 12),
    ("基层应急管理实务（选学）", TeachingForm.CASE, 3, 8, 3),
]


@dataclass(frozen=True)
class EnrollmentSummary:
    quotas: int
    nominations: int
    seats: int


def build_enrollment(users, rng) -> EnrollmentSummary:
    organizer, contact, trainee = users["organizer"], users["contact"], users["trainee"]
    program = Program.objects.get(org=organizer.org, name="周末知行学堂")
    township = contact.org
    nominations = _quotas(organizer, contact, program, township, rng)
    seats = _electives(organizer, trainee, program, township, rng)
    _leave(trainee, program)
    row = ProgramTrainee.objects.filter(program=program, cadre=trainee.cadre).first()
    send_confirmation_notice(trainee.cadre_id, program, row.batch if row else None)
    return EnrollmentSummary(quotas=Quota.objects.count(), nominations=nominations, seats=seats)


def _free_cadres(program: Program, org: Org, n: int, rng) -> list[Cadre]:
    taken = ProgramTrainee.objects.filter(program=program).values("cadre_id")
    pool = list(
        Cadre.objects.filter(unit__path__startswith=org.path, status=Cadre.Status.ACTIVE)
        .exclude(pk__in=taken)
        .select_related("unit")
        .order_by("pk")
    )
    return rng.sample(pool, min(n, len(pool)))


def _quotas(organizer, contact, program, township, rng) -> int:
    quota = quota_save(
        actor=organizer, program=program, org=township, seats=5, note="请优先推荐年轻干部"
    )
    county = Org.objects.get(pk=township.ancestor_ids[-1])
    neighbour = (
        Org.objects.filter(parent=county.parent, level=Org.Level.COUNTY)
        .exclude(pk=county.pk)
        .first()
    )
    if neighbour is not None:
        quota_save(
            actor=organizer,
            program=program,
            org=neighbour,
            seats=10,
            kind=Quota.Kind.RIDE_ALONG,
            note="搭车培训：视频分课堂同步参训",
        )
    chosen = _free_cadres(program, township, 3, rng)
    made = [nomination_create(actor=contact, quota=quota, cadre=c) for c in chosen]
    if len(made) == 3:
        nominations_confirm(actor=organizer, program=program, nominations=[made[0]])
        nomination_return(
            actor=organizer, nomination=made[1], note="该同志本月已有脱产培训任务，请改报他人"
        )
    return len(made)


def _menu_program(organizer, program: Program) -> Program:
    """The city's 自主选学 menu: a program of its own over the same months, so cadres of every
    county may pick from it (the 自助餐 of Tongyu)."""
    return program_create(
        actor=organizer,
        org=organizer.org,
        data=ProgramData(
            name="干部能力提升自主选学",
            start_date=program.start_date,
            end_date=program.end_date,
            target_groups="全市干部自主选学",
            goals="按需选学，缺什么补什么。",
            main_venue=program.main_venue,
            status=Program.Status.OPEN,
            channel=Channel.SELF_SELECTED,
        ),
    )


def _electives(organizer, trainee, program, township, rng) -> int:
    first = Session.objects.filter(program=program).order_by("starts_at").first()
    program = _menu_program(organizer, program)
    selection_rules_save(actor=organizer, program=program, per_program=3, per_year=None)
    others = _free_cadres(program, township.parent, 20, rng)
    seats = 0
    for title, form, capacity, days, taken in ELECTIVES:
        start = first.starts_at + timedelta(days=days, hours=5)  # Sunday 14:00
        session, _warnings = session_save(
            actor=organizer,
            program=program,
            data=SessionData(
                starts_at=start,
                ends_at=start + timedelta(hours=2, minutes=30),
                title=title,
                form=form,
                main_venue=program.main_venue,
                self_selectable=True,
                capacity=capacity,
                selection_deadline=start - timedelta(days=2),
            ),
            accept_warnings=True,
        )
        # Others picked before the trainee: plain rows (they have no accounts in the demo).
        # A full session also gets one waitlisted pick, so the trainee would queue second.
        ahead = others[: taken + (1 if taken >= capacity else 0)]
        others = others[len(ahead) :]
        for i, cadre in enumerate(ahead):
            enrolled = i < capacity
            Seat.objects.create(
                session=session,
                cadre=cadre,
                status=Seat.Status.ENROLLED if enrolled else Seat.Status.WAITLISTED,
            )
            if enrolled:
                ProgramTrainee.objects.get_or_create(
                    program=program, cadre=cadre, defaults={"source": "self"}
                )
        seats += len(ahead)
        if taken < capacity:
            seat_pick(actor=trainee, session=session)
            seats += 1
    return seats


def _leave(trainee, program) -> None:
    """The trainee asks leave for the last regular class of their batch (contact decides)."""
    row = ProgramTrainee.objects.filter(program=program, cadre=trainee.cadre).first()
    sessions = Session.objects.filter(program=program, self_selectable=False).order_by("-starts_at")
    if row and row.batch:
        sessions = sessions.filter(batch__in=[row.batch, None])
    session = sessions.first()
    if session is not None:
        leave_request(actor=trainee, session=session, reason="单位迎接省级检查，需在岗值守")
