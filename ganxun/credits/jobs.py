"""Recomputing automatic credits: teaching hours for sessions that have ended, and attendance
(after the crediting rules changed). Idempotent: run it twice, the second run writes nothing.

Run by ``ganxun sync-credits`` and as the job ``credits_sync`` from the rules page.
"""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.checkin.models import Attendance
from ganxun.core.errors import PermissionDenied
from ganxun.core.jobs import job_handler, job_result_link, job_start
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.credits import ledger, policies
from ganxun.credits.attendance import attendance_desired
from ganxun.credits.models import Channel
from ganxun.programs.models import Session

SYNC = "credits_sync"
CHUNK = 2000


@dataclass(frozen=True)
class SyncResult:
    teaching_rows: int
    attendance_rows: int

    def as_dict(self) -> dict:
        return {"teaching_rows": self.teaching_rows, "attendance_rows": self.attendance_rows}


def teaching_desired(now=None) -> list[ledger.Desired]:
    """One credit per (lecturer's cadre, session) for every scheduled session that has ended."""
    now = now or timezone.now()
    rules = ledger.credit_settings()
    through = Session.lecturers.through
    rows = (
        through.objects.filter(
            session__ends_at__lte=now,
            session__status=Session.Status.SCHEDULED,
            lecturer__cadre__isnull=False,
        )
        .values_list(
            "session_id",
            "lecturer__cadre_id",
            "session__title",
            "session__starts_at",
            "session__ends_at",
            "session__credit_hours",
            "session__program_id",
        )
        .order_by("session_id")
    )
    wanted = {}
    for sid, cadre_id, title, starts, ends, credit_hours, program_id in rows:
        session = SimpleNamespace(starts_at=starts, ends_at=ends, credit_hours=credit_hours)
        hours = ledger.floor_half(
            ledger.session_hours(session, rules) * Decimal(rules.teaching_factor)
        )
        wanted[(cadre_id, sid)] = ledger.Desired(
            cadre_id=cadre_id,
            source=f"teach:{sid}",
            hours=hours,
            day=ledger.local_day(starts),
            channel=Channel.TEACHING,
            title=f"授课：{title}",
            session_id=sid,
            program_id=program_id,
        )
    return list(wanted.values())


def attendance_wanted(progress=None):
    """Every attendance row's credit, in chunks (rows of millions stay out of memory)."""
    rules = ledger.credit_settings()
    last = 0
    while True:
        chunk = list(
            # scope: the whole-city recount (root administrators only), inside sync_credits
            Attendance.objects.unscoped()
            .filter(pk__gt=last)
            .select_related("session__program")
            .order_by("pk")[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        yield [attendance_desired(a, a.session, a.session.program.channel, rules) for a in chunk]


def sync_credits(*, teaching: bool = True, attendance: bool = True, progress=None) -> SyncResult:
    ledger.forget_settings()
    teaching_rows = attendance_rows = 0
    # scope: the whole-city recount; its job and command check owns_city_rules first
    with unscoped():
        if teaching:
            teaching_rows = ledger.sync(teaching_desired(), reason="授课学时重算")
        if attendance:
            for batch in attendance_wanted(progress):
                attendance_rows += ledger.sync(batch, reason="学时规则变更，重算")
    return SyncResult(teaching_rows, attendance_rows)


def credits_sync_start(*, actor) -> Job:
    if not policies.owns_city_rules(actor):
        raise PermissionDenied()
    return job_start(actor=actor, kind=SYNC, title="重算授课与出勤学时")


@job_result_link(SYNC)
def sync_link(job: Job) -> tuple[str, str]:
    """After a recount the organizer looks at the hours it produced."""
    return reverse("credits:index"), _("查看学时达标情况")


@job_handler(SYNC)
def run_sync(job: Job, progress) -> dict:
    if not policies.owns_city_rules(job.actor):
        raise PermissionDenied()
    result = sync_credits(progress=progress)
    job.message = (
        f"已完成：授课学时写入 {result.teaching_rows} 条，出勤学时调整 {result.attendance_rows} 条"
    )
    return result.as_dict()
