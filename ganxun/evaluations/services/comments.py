"""Moderating the free-text suggestions of a session's forms, and reminding organizers.

``comments_review`` decides a batch of comments of one session (publish / keep private / hide)
in one transaction with one audit entry per comment. Publishing needs the session to meet the
anonymity threshold (``policies.enough``, the one definition): below it a comment would point at
one of a handful of trainees. ``comments_remind_pending`` tells the program's organizers once
per session (the outbox's ``key``) that comments wait, after the form window has closed.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role, User
from ganxun.core.audit import audit_record_many
from ganxun.core.errors import PermissionDenied
from ganxun.core.periodic import periodic
from ganxun.core.scoping import refetch
from ganxun.evaluations import aggregates, policies
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.kinds import COMMENTS_PENDING
from ganxun.evaluations.models import CommentReview
from ganxun.evaluations.selectors.comments import pending_by_session, session_text_answers
from ganxun.messaging.outbox import To, send
from ganxun.programs.models import Session
from ganxun.programs.policies import can_manage_program

if TYPE_CHECKING:
    from collections.abc import Iterable

Status = CommentReview.Status
REMIND_WITHIN_DAYS = 30


def comments_review(
    *, actor: User, session: Session, answer_ids: "Iterable[int]", status: str, note: str = ""
) -> dict[str, int]:
    """Decide the comments ``answer_ids`` of ``session``. Returns {"changed", "unchanged"}.

    Refusals (``EvaluationError``): bad_status, none_chosen, unknown_comment (an id that is not
    a comment of this session), below_threshold (publishing while fewer forms than the
    threshold), unchanged (every chosen comment already has that status)."""
    if not can_manage_program(actor, session.program):
        raise PermissionDenied()
    if status not in Status.values:
        raise EvaluationError("bad_status", _("审核结果无效。"))
    ids = {int(i) for i in answer_ids}
    if not ids:
        raise EvaluationError("none_chosen", _("请先勾选要处理的意见。"))
    with transaction.atomic():
        session = refetch(session, lock=True)  # one moderator of a session at a time
        answers = {a.pk: a for a in session_text_answers(session).filter(pk__in=ids)}
        if set(answers) != ids:
            raise EvaluationError("unknown_comment", _("所选意见不属于本课次，请刷新页面后重试。"))
        if status == Status.PUBLISHED:
            forms = aggregates.overall(aggregates.evaluations(Q(session=session)))["responses"]
            if not policies.enough(forms):
                raise EvaluationError(
                    "below_threshold",
                    _(
                        "本课次只有 %(forms)s 份评价，少于 %(threshold)s 份，意见公开后可能被认出"
                        "是谁写的，暂不能公开给授课教师。"
                    )
                    % {"forms": forms, "threshold": policies.min_group()},
                )
        reviews = {
            r.answer_id: r
            for r in CommentReview.objects.visible_to(actor).filter(answer_id__in=ids)
        }
        now = timezone.now()
        changed, created, before = [], [], {}
        for answer_id in sorted(ids):
            review = reviews.get(answer_id)
            if review is not None and review.status == status:
                continue
            before[answer_id] = review.status if review else "pending"
            if review is None:
                review = CommentReview(answer_id=answer_id, session=session)
                created.append(review)
            review.status, review.note = status, note[:200]
            review.decided_by, review.decided_at = actor, now
            changed.append(review)
        if not changed:
            raise EvaluationError(
                "unchanged",
                _("所选意见已是“%(status)s”，未作更改。") % {"status": Status(status).label},
            )
        CommentReview.objects.bulk_create(created)
        updated = [r for r in changed if r not in created]
        if updated:
            CommentReview.objects.visible_to(actor).bulk_update(
                updated, ["status", "note", "decided_by", "decided_at"]
            )
        audit_record_many(
            actor=actor,
            action=f"comment_{status}",
            objs=changed,
            changes=lambda r: {"status": [before[r.answer_id], r.status], "session": session.pk},
        )
    return {"changed": len(changed), "unchanged": len(ids) - len(changed)}


def _organizers(programs) -> dict[int, list[User]]:
    """Who is told: the active organizers of each program's own org, else its creator."""
    org_ids = {p.org_id for p in programs}
    by_org: dict[int, list[User]] = {}
    # scope: the organizers of the programs whose sessions wait for review (a system reminder)
    rows = User._base_manager.filter(
        is_active=True, org_id__in=org_ids, role_grants__role=Role.ORGANIZER
    ).distinct()
    for user in rows.order_by("pk"):
        if user.org_id is not None:  # filtered on org_id__in
            by_org.setdefault(user.org_id, []).append(user)
    out = {}
    for p in programs:
        out[p.pk] = by_org.get(p.org_id) or [p.created_by]
    return out


def comments_remind_pending(*, now=None) -> int:
    """Tell each program's organizers, once per session, that comments of a session wait for
    review — after the session's form window has closed (no more comments coming). Safe to run
    in two workers at once: the outbox's key makes the second send write nothing."""
    now = now or timezone.now()
    pending = pending_by_session(
        # scope: a system reminder across every program (run by the worker as SYSTEM)
        Session._base_manager.filter(
            status=Session.Status.SCHEDULED,
            ends_at__lte=now,
            ends_at__gte=now - timedelta(days=REMIND_WITHIN_DAYS),
        )
    )
    if not pending:
        return 0
    sessions = list(
        # scope: the sessions found above, with their programs' window settings
        Session._base_manager.filter(pk__in=pending)
        .select_related("program", "program__evaluation_setup", "program__created_by")
        .order_by("pk")
    )
    closed = [s for s in sessions if _window_closed(s, now)]
    recipients = _organizers({s.program for s in closed})
    sent = 0
    for s in closed:
        sent += send(
            kind=COMMENTS_PENDING,
            to=[To.user(u) for u in recipients[s.program_id]],
            context=_notice_context(s, pending[s.pk]),
            url=reverse("evaluations:session_comments", args=[s.pk]),
            program_id=s.program_id,
            org_id=s.program.org_id,
            key=f"comments_pending:{s.pk}",
        )
    return sent


def _window_closed(session: Session, now) -> bool:
    setup = getattr(session.program, "evaluation_setup", None)
    hours = setup.close_hours if setup else 0
    return session.ends_at + timedelta(hours=hours) <= now


def _notice_context(session: Session, count: int) -> dict:
    values = {
        "session": session.title,
        "program": session.program.full_name,
        "count": str(count),
    }
    return {
        **values,
        "title": _("%(count)s 条学员意见待审核") % values,
        "body": _(
            "%(program)s · %(session)s 的评价已截止，有 %(count)s 条学员意见待审核："
            "公开给授课教师、仅组织方可见或隐藏。"
        )
        % values,
    }


@periodic("comments_pending", every=timedelta(hours=1))
def _remind() -> None:
    comments_remind_pending()
