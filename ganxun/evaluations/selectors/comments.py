"""Reads of moderated comments: the organizer's review list, pending counts, and what a
lecturer may read (published, no names, only where the session meets the threshold)."""

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ganxun.evaluations import aggregates, policies
from ganxun.evaluations.models import CommentReview
from ganxun.programs.models import MANAGING_ROLES, Program, Session
from ganxun.surveys.models import Answer, Question

if TYPE_CHECKING:
    from ganxun.accounts.models import User

Status = CommentReview.Status


def _text_answers() -> QuerySet[Answer]:
    # scope: free-text answers of forms; every caller cuts them to sessions it was allowed
    return Answer._base_manager.filter(
        response__evaluation__isnull=False,
        response__evaluation__session__status=Session.Status.SCHEDULED,
        question__kind__in=Question.TEXT_KINDS,
    ).exclude(text="")


def _reviewed() -> Exists:
    # scope: the review of each answer of the outer query (same cut)
    return Exists(CommentReview._base_manager.filter(answer_id=OuterRef("pk")))


def session_text_answers(session: Session) -> QuerySet[Answer]:
    """The comments of a held session (the caller authorised it)."""
    return _text_answers().filter(response__evaluation__session=session)


def session_comments(session: Session, *, status: str = "") -> list[dict]:
    """The organizer's review list: each comment with its question and review, pending first.
    Ordered by id within a status, never by trainee; no names (the form's row is not read)."""
    rows = session_text_answers(session).values(
        "pk",
        "text",
        "question__text",
        "comment_review__status",
        "comment_review__note",
        "comment_review__decided_at",
        "comment_review__decided_by__username",
    )
    if status == "pending":
        rows = rows.filter(comment_review__isnull=True)
    elif status in Status.values:
        rows = rows.filter(comment_review__status=status)
    order = {
        "pending": 0,
        Status.PUBLISHED.value: 1,
        Status.PRIVATE.value: 2,
        Status.HIDDEN.value: 3,
    }
    out = [
        {
            "id": r["pk"],
            "text": r["text"],
            "question": r["question__text"],
            "status": r["comment_review__status"] or "pending",
            "status_label": (
                Status(r["comment_review__status"]).label if r["comment_review__status"] else ""
            ),
            "note": r["comment_review__note"] or "",
            "decided_at": r["comment_review__decided_at"],
            "decided_by": r["comment_review__decided_by__username"] or "",
        }
        for r in rows.order_by("pk")
    ]
    out.sort(key=lambda c: order.get(str(c["status"]), 9))
    return out


def pending_by_session(sessions: QuerySet[Session]) -> dict[int, int]:
    """Session id → comments waiting for review, for the sessions of ``sessions`` (one query)."""
    rows = (
        _text_answers()
        .filter(response__evaluation__session__in=sessions.values("pk"))
        .exclude(_reviewed())
        .values("response__evaluation__session")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["response__evaluation__session"]: r["n"] for r in rows}


def pending_count(actor: "User", program: Program | None = None) -> int:
    """Comments waiting for review in the programs the actor manages (or one program)."""
    if not actor.has_role(*MANAGING_ROLES) or actor.org is None:
        return 0
    sessions = Session.objects.visible_to(actor).filter(
        program__org__path__startswith=actor.org.path
    )
    if program is not None:
        sessions = sessions.filter(program=program)
    return sum(pending_by_session(sessions).values())


def status_counts(session: Session) -> dict[str, int]:
    rows = (
        session_text_answers(session)
        .values("comment_review__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(["pending", *Status.values], 0)
    for r in rows:
        counts[r["comment_review__status"] or "pending"] += r["n"]
    return counts


def published_comments(sessions: QuerySet[Session]) -> dict[int, list[str]]:
    """Session id → the published comments a lecturer may read, only for sessions that meet
    the anonymity threshold (``policies.enough`` on the session's forms). No names, no order
    by time: by answer id within each session."""
    forms = dict(
        aggregates.evaluations(Q(session__in=sessions.values("pk")))
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
        .order_by()
    )
    shown = [sid for sid, n in forms.items() if policies.enough(n)]
    rows = (
        _text_answers()
        .filter(
            response__evaluation__session__in=shown,
            comment_review__status=Status.PUBLISHED,
        )
        .values_list("response__evaluation__session", "text")
        .order_by("response__evaluation__session", "pk")
    )
    out: dict[int, list[str]] = {}
    for sid, text in rows:
        out.setdefault(sid, []).append(text)
    return out


def sessions_with_pending(actor: "User", limit: int = 200) -> list[Session]:
    """The organizer's to-do list: sessions of managed programs with comments to review."""
    if not actor.has_role(*MANAGING_ROLES) or actor.org is None:
        return []
    sessions = Session.objects.visible_to(actor).filter(
        program__org__path__startswith=actor.org.path
    )
    pending = pending_by_session(sessions)
    rows = list(
        sessions.filter(pk__in=list(pending))
        .select_related("program")
        .order_by("-ends_at", "-id")[:limit]
    )
    for s in rows:
        s.pending = pending[s.pk]  # type: ignore[attr-defined]
    return rows
