"""The inbox invitation to rate a class, sent when a trainee's attendance is first recorded.

Why on check-in rather than a job when the session ends: the trainee gets the link while still
in class (the form opens at the start), nothing needs a scheduler, and each check-in adds just
one INSERT … SELECT over the trainee's accounts, inside the check-in transaction. Updates of
the same attendance (check-out, corrections) send nothing: ``created`` is False for them.
"""

from django.dispatch import receiver
from django.urls import reverse

from ganxun.checkin.signals import attendance_recorded
from ganxun.core.notices import notices_send_to_cadre

NOTICE_KIND = "evaluation"


@receiver(attendance_recorded, dispatch_uid="evaluations_invite_on_checkin")
def invite_to_rate(sender, attendance, created=False, **kwargs):
    if not created:
        return
    session = attendance.session
    notices_send_to_cadre(
        cadre_id=attendance.cadre_id,
        kind=NOTICE_KIND,
        title=f"请为“{session.title}”评价",
        body="课后请花一分钟填写课堂满意度评价表，评价匿名统计。",
        url=reverse("evaluations:session_form", args=[session.pk]),
    )
