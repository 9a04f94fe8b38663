"""The inbox invitation to rate a class, written when a trainee's attendance is first recorded
and shown when the form opens — at the end of class, or the program's minutes before it.

Why written on check-in rather than by a job when the session ends: nothing needs a scheduler.
The notice is inserted now with its ``created_at`` at the opening time, and the inbox
(``core.Notice.objects``) shows only notices whose time has come — derived on read. Each
check-in adds one small SELECT (the program's opening rule) and one INSERT … SELECT over the
trainee's accounts, inside the check-in transaction (the step is subscribed to
``checkin.events.AttendanceRecorded`` in ``EvaluationsConfig.ready``). Updates of the same
attendance (check-out, corrections) send nothing: ``created`` is False for them.

Why not ``messaging.outbox.send`` like every other notice: this runs on the check-in hot path,
once per scan (a hall of trainees scanning within minutes). The outbox would add a message row
and per-recipient delivery rows, the kind's override lookup up the org tree and the person's
channel preferences — several queries and writes per scan for a notice that only ever goes
in-app. So it stays one INSERT … SELECT through ``core.notices.notices_send_to_cadre``. Its kind
is registered (``evaluations/kinds.py``: in-app only, ``editable=False``) so the editor lists
it and the texts live in one place, rendered from the kind's default without a query.
"""

from django.urls import reverse

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core.notices import notices_send_to_cadre
from ganxun.evaluations.kinds import EVALUATION
from ganxun.evaluations.models import EvaluationSetup
from ganxun.evaluations.services.forms import opens_at
from ganxun.messaging.templates import renderer

NOTICE_KIND = EVALUATION.code
# The default texts, fixed (not editable): no lookup per scan.
_render = renderer(EVALUATION)


def invite_to_rate(event: AttendanceRecorded) -> None:
    if not event.created:
        return
    attendance = event.attendance
    session = attendance.session
    minutes = (
        # scope: a step of the check-in the trainee's scan made; the trainee cannot see setups
        EvaluationSetup._base_manager.filter(program_id=session.program_id)
        .values_list("open_minutes_before_end", flat=True)
        .first()
    )
    text = _render({"session": session.title})
    notices_send_to_cadre(
        cadre_id=attendance.cadre_id,
        kind=NOTICE_KIND,
        title=text.title,
        body=text.body,
        url=reverse("evaluations:session_form", args=[session.pk]),
        shows_at=opens_at(session, minutes or 0),
    )
