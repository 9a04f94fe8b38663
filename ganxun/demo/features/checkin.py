"""Check-in in the demo: a one-day lecture (专题讲座) running right now for the trainees of
周末知行学堂, two thirds of them already checked in (some late, some in the video
sub-classroom), so the live board, the projector and the absence list show something. The demo
trainee is left for the visitor to check in by scanning the projector's code."""

from datetime import timedelta

from django.utils import timezone

from ganxun.checkin.services import attendance_check_in
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program, ProgramTrainee
from ganxun.programs.services import (
    ProgramData,
    SessionData,
    program_create,
    session_save,
    trainees_add,
)

SHARE_PRESENT = 0.66


def build_checkin(users, rng) -> int:
    organizer, trainee = users["organizer"], users["trainee"]
    weekend = Program.objects.visible_to(organizer).get(name="周末知行学堂")
    now = timezone.now().replace(second=0, microsecond=0)
    starts = now - timedelta(minutes=20)
    ends = now + timedelta(hours=2, minutes=40)
    lecture = program_create(
        actor=organizer,
        org=weekend.org,
        data=ProgramData(
            name="基层治理专题讲座",
            start_date=timezone.localtime(starts).date(),
            end_date=timezone.localtime(ends).date(),
            target_groups=weekend.target_groups,
            main_venue=weekend.main_venue,
            sub_venues=list(weekend.sub_venues.all()),
            status=Program.Status.OPEN,
        ),
    )
    cadre_ids = ProgramTrainee.objects.visible_to(organizer).filter(program=weekend)
    trainees_add(
        actor=organizer,
        program=lecture,
        cadres=Cadre.objects.visible_to(organizer).filter(pk__in=cadre_ids.values("cadre_id")),
    )
    session, _warnings = session_save(
        actor=organizer,
        program=lecture,
        data=SessionData(
            starts_at=starts,
            ends_at=ends,
            title="基层治理中的风险防范",
            main_venue=lecture.main_venue,
            sub_venues=list(weekend.sub_venues.all()),
        ),
        accept_warnings=True,
    )
    present = rng.sample(
        list(cadre_ids.exclude(cadre_id=trainee.cadre_id).values_list("cadre_id", "venue_id")),
        int((cadre_ids.count() - 1) * SHARE_PRESENT),
    )
    for cadre_id, venue_id in present:
        # Most arrive before the class starts; a few come in late.
        minutes = rng.choice([-25, -15, -10, -5, -2, 0, 3, 8, 14, 25])
        attendance_check_in(
            actor=organizer,
            session_id=session.pk,
            cadre_id=cadre_id,
            venue_id=venue_id or lecture.main_venue_id,
            now=session.starts_at + timedelta(minutes=minutes),
        )
    return len(present)
