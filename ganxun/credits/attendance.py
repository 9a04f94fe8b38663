"""Attendance → 学时, the step check-in runs inside its transaction (subscribed to
``checkin.events.AttendanceRecorded`` in ``CreditsConfig.ready``).

Kept to one or two statements because check-in has a throughput target: on a new attendance one
INSERT … ON CONFLICT DO NOTHING; on a change (check-out, late/early minutes) one SELECT of that
cadre's entries for the session and, only if the amount changed, one INSERT of the reversal and
the new version. The crediting rules are cached for a few seconds (ledger.credit_settings).
"""

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core.scoping import unscoped
from ganxun.credits import ledger
from ganxun.credits.models import Channel, CreditEntry
from ganxun.programs.models import Program


def attendance_desired(attendance, session, program_channel: str, rules) -> ledger.Desired:
    channel = (
        Channel.SELF_SELECTED
        if session.self_selectable
        else ledger.program_channel(program_channel)
    )
    return ledger.Desired(
        cadre_id=attendance.cadre_id,
        source=f"session:{session.pk}",
        hours=ledger.attendance_hours(attendance, session, rules),
        day=ledger.local_day(session.starts_at),
        channel=channel,
        title=session.title,
        session_id=session.pk,
        program_id=session.program_id,
        recorded_by_id=attendance.recorded_by_id,
    )


def _program_channel(session) -> str:
    cached = session._state.fields_cache.get("program")
    if cached is not None:
        return cached.channel

    # A trainee's check-in step reads it, and the trainee may not see the program.
    # scope: only the channel of the program of an attendance just recorded
    with unscoped():
        return (
            Program.objects.filter(pk=session.program_id).values_list("channel", flat=True).first()
            or "local"
        )


def credit_attendance(event: AttendanceRecorded) -> None:
    attendance, created = event.attendance, event.created
    session = attendance.session
    want = attendance_desired(
        attendance, session, _program_channel(session), ledger.credit_settings()
    )
    if created:
        if want.hours > 0:
            ledger.write([ledger.first_version(want)])
        return
    # scope: the ledger's versions of this attendance's own key, whoever changed the row
    with unscoped():
        existing = list(
            CreditEntry.objects.filter(cadre_id=want.cadre_id, source=want.source).order_by("id")
        )
    ledger.write(ledger.changes_for(want, existing, reason="签到信息变更，学时重算"))
