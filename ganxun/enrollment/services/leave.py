"""请假: a trainee asks, the unit contact decides, the organizer too when the leave is long.

Approved leave is not absence. When a trainee's approved leave in a program passes the
program's limit (default 1/7 of its hours, the 条例's rule) the organizer is told.
"""

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import refetch
from ganxun.enrollment import policies
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.expected import is_expected
from ganxun.enrollment.hours import session_hours
from ganxun.enrollment.models import LeaveRequest
from ganxun.enrollment.selectors import leave_share
from ganxun.enrollment.services.common import (
    accounts_of,
    clean_text,
    contacts_for,
    notify,
    organizers_of,
    record,
)
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program, Session

if TYPE_CHECKING:
    from ganxun.accounts.models import User

LEAVE_LIST = "enrollment:leave_inbox"


def _when(session: Session) -> str:
    return f"{timezone.localtime(session.starts_at):%m月%d日 %H:%M}"


@transaction.atomic
def leave_request(*, actor: "User", session: Session, reason: str) -> LeaveRequest:
    """Ask for leave before the class starts; the unit contact is told."""
    if not policies.is_trainee(actor):
        raise PermissionDenied()
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    # scope: the actor's own roster record
    cadre = Cadre._base_manager.select_related("unit").get(pk=actor.cadre_id)
    session = refetch(session, related=("program",))
    if session.status != Session.Status.SCHEDULED:
        raise EnrollmentError("session_cancelled", _("该课次已取消，无需请假。"))
    if timezone.now() >= session.starts_at:
        raise EnrollmentError(
            "session_started",
            _("该课次已于 %(when)s 开始，不能再请假；如有特殊情况请联系单位联络员。")
            % {"when": _when(session)},
        )
    if not is_expected(session, cadre.pk):
        raise EnrollmentError("not_expected", _("您不在该课次的参训名单中，无需请假。"))
    reason = clean_text(reason, field="reason", label=_("请假事由"), max_length=500)
    program = session.program
    leave = LeaveRequest(
        session=session,
        cadre=cadre,
        reason=reason,
        needs_organizer=session_hours(session) > program.leave_organizer_hours,
    )
    try:
        with transaction.atomic():
            leave.save()
    except IntegrityError:
        raise EnrollmentError(
            "already_requested", _("您已为该课次请过假（待审批或已批准）。")
        ) from None
    record(actor, "create", leave, {}, {"reason": reason, "needs_organizer": leave.needs_organizer})
    notify(
        contacts_for(cadre.unit),
        kind="leave_requested",
        context={
            "cadre": cadre.name,
            "session": session.title,
            "when": _when(session),
            "reason": reason,
        },
        program=session.program,
        url=reverse(LEAVE_LIST),
        sender=actor,
    )
    return leave


def _lock(leave: LeaveRequest) -> LeaveRequest:
    locked = refetch(leave, lock=True)
    # scope: the session of the held request (its unit contact may not see the program)
    locked.session = Session._base_manager.select_related("program__org").get(pk=locked.session_id)
    # scope: the requesting cadre of the held request, for the deciders' checks and notices
    locked.cadre = Cadre._base_manager.select_related("unit").get(pk=locked.cadre_id)
    return locked


def _stage(actor: "User", leave: LeaveRequest) -> str:
    """Which decision the actor is making: the unit contact's first, then the organizer's."""
    if leave.status != LeaveRequest.Status.PENDING:
        raise EnrollmentError("already_decided", _("该请假申请已处理。"))
    if leave.contact_approved_by_id is None:
        if policies.can_decide_leave_as_contact(actor, leave.cadre):
            return "contact"
        if policies.can_manage_quotas(actor, leave.session.program):
            raise EnrollmentError("contact_first", _("请等待学员所在单位联络员先审批。"))
        raise PermissionDenied()
    if policies.can_manage_quotas(actor, leave.session.program):
        return "organizer"
    if policies.can_decide_leave_as_contact(actor, leave.cadre):
        raise EnrollmentError("organizer_pending", _("单位已同意，等待主办方审批。"))
    raise PermissionDenied()


@transaction.atomic
def leave_decide(
    *, actor: "User", leave: LeaveRequest, approve: bool, note: str = ""
) -> LeaveRequest:
    leave = _lock(leave)
    stage = _stage(actor, leave)
    note = clean_text(
        note, field="note", label=_("不批准的理由"), required=not approve, max_length=300
    )
    session, now = leave.session, timezone.now()
    before = {"status": leave.status, "contact_approved": bool(leave.contact_approved_by_id)}
    if not approve:
        leave.status = LeaveRequest.Status.REFUSED
        verdict = "未获批准"
    elif stage == "contact" and leave.needs_organizer:
        leave.contact_approved_by = actor
        verdict = "单位已同意，待主办方审批"
    else:
        leave.status = LeaveRequest.Status.APPROVED
        verdict = "已批准"
    if stage == "contact" and approve:
        leave.contact_approved_by = actor
    if leave.status != LeaveRequest.Status.PENDING:
        leave.decided_by, leave.decided_at = actor, now
    leave.decision_note = note
    leave.save()
    after = {"status": leave.status, "contact_approved": bool(leave.contact_approved_by_id)}
    record(actor, "update", leave, before, after)
    notify(
        accounts_of([leave.cadre_id]),
        kind="leave_decided",
        context={
            "session": session.title,
            "when": _when(session),
            "verdict": verdict,
            "opinion": ("；意见：" + note) if note else "",
        },
        program=session.program,
        url=reverse("enrollment:my_leave"),
        sender=actor,
    )
    if leave.status == LeaveRequest.Status.PENDING:
        notify(
            organizers_of(session.program),
            kind="leave_escalated",
            context={"cadre": leave.cadre.name, "session": session.title, "reason": leave.reason},
            program=session.program,
            url=reverse("enrollment:program_leave", args=[session.program_id]),
            sender=actor,
        )
    elif leave.status == LeaveRequest.Status.APPROVED:
        _flag_if_over_limit(leave, session.program)
    return leave


def _flag_if_over_limit(leave: LeaveRequest, program: Program) -> None:
    share = leave_share(program, leave.cadre)
    if share.over_limit:
        notify(
            organizers_of(program),
            kind="leave_over_limit",
            context={
                "cadre": leave.cadre.name,
                "program": program.full_name,
                "leave_hours": share.leave_hours,
                "total_hours": share.total_hours,
                "percent": share.percent,
                "limit_percent": share.limit_percent,
            },
            program=program,
            url=reverse("enrollment:program_leave", args=[program.pk]),
        )


@transaction.atomic
def leave_withdraw(*, actor: "User", leave: LeaveRequest) -> LeaveRequest:
    """The trainee takes a request back (before the class starts), e.g. plans changed."""
    leave = _lock(leave)
    if actor.cadre_id != leave.cadre_id:
        raise PermissionDenied()
    if leave.status not in (LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED):
        raise EnrollmentError("already_decided", _("该请假申请已结束，无需撤回。"))
    if timezone.now() >= leave.session.starts_at:
        raise EnrollmentError("session_started", _("课程已开始，不能再撤回请假。"))
    before = {"status": leave.status}
    leave.status = LeaveRequest.Status.WITHDRAWN
    leave.save(update_fields=["status"])
    record(actor, "update", leave, before, {"status": leave.status})
    return leave
