"""The lecturer's brief (备课简报): one printable page before a session, and after it.

What the page puts together, each part read by its owner's one definition:
  * the confirmed common needs (``needs.CommonNeed``) the course is confirmed to answer
    (``NeedCourse`` confirmed), from the needs surveys of the program's org, its ancestors or
    its subtree — with the groups that raised each need most (``group_shares`` as kept);
  * the trainees' expectations and the agreed adjustments of the session's 三方研议
    (``programs.Consultation``/``Expectation``), without the representatives' names;
  * who is in the room: the cadres ``enrollment.expected`` expects, counted by unit, rank level
    and personnel category; a group smaller than the anonymity threshold (``policies``) is not
    named, only counted in a note;
  * the questions of the unit's pre-test that most of those trainees got wrong
    (``BankQuestion.is_right``), shown only from the threshold of attempts on;
  * the published comments of the lecturers' earlier sessions of the same course
    (``selectors.comments.published_comments``: threshold per session);
  * after class: the session's ratings (``session_results``, the lecturer's threshold) and the
    post-test's gain on those same questions.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.catalog.models import Lecturer
from ganxun.core.errors import PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.enrollment.expected import expected_trainees
from ganxun.evaluations import policies
from ganxun.evaluations.models import Assessment, AssessmentAttempt, BankQuestion
from ganxun.evaluations.progress import LIVE_TESTS
from ganxun.evaluations.selectors.comments import published_comments
from ganxun.evaluations.selectors.results import LECTURERS, session_results
from ganxun.needs.models import CommonNeed, NeedCourse
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Consultation, Expectation, Session
from ganxun.programs.policies import can_manage_program, teaches

if TYPE_CHECKING:
    from ganxun.accounts.models import User

WRONG_SHARE = 0.5  # "most trainees got it wrong": more than half of the attempts
TOP_GROUPS = 3
EARLIER_SESSIONS = 10


def can_read_brief(actor: "User", session: Session) -> bool:
    """The session's lecturers and the organizers of its program."""
    return teaches(actor, session) or can_manage_program(actor, session.program)


def get_brief_session_for(actor: "User", pk) -> Session:
    session = _get(
        Session.objects.visible_to(actor)
        .select_related("program", "program__org", "course", "unit", "main_venue")
        .prefetch_related(LECTURERS),
        pk,
    )
    if not can_read_brief(actor, session):
        raise PermissionDenied()
    return session


@dataclass
class Group:
    label: str
    count: int


@dataclass
class Breakdown:
    groups: list[Group] = field(default_factory=list)
    small_people: int = 0  # people in groups below the threshold, not named
    small_groups: int = 0


def _breakdown(counter: Counter) -> Breakdown:
    out = Breakdown()
    for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        if policies.enough(n):
            out.groups.append(Group(label, n))
        else:
            out.small_people += n
            out.small_groups += 1
    return out


def room(session: Session) -> dict:
    """Counts of the expected trainees by unit, rank level and personnel category."""
    rows = list(
        expected_trainees(session).values_list(
            "cadre__unit__name", "cadre__rank", "cadre__personnel_category__name"
        )
    )
    ranks = dict(Cadre.Rank.choices)
    unknown = _("未登记")
    return {
        "total": len(rows),
        "units": _breakdown(Counter(u for u, _r, _c in rows)),
        "ranks": _breakdown(Counter(str(ranks.get(r, unknown)) for _u, r, _c in rows)),
        "categories": _breakdown(Counter(c or unknown for _u, _r, c in rows)),
    }


def common_needs(session: Session) -> list[dict]:
    """The confirmed common needs the session's course is confirmed to answer."""
    if session.course_id is None:
        return []
    org = session.program.org
    links = (
        # scope: the needs behind a course of a session the actor may brief on (authorised)
        NeedCourse._base_manager.filter(
            course_id=session.course_id, status=NeedCourse.Status.CONFIRMED
        )
        .filter(
            Q(need__survey__questionnaire__org__path__startswith=org.path)
            | Q(need__survey__questionnaire__org_id__in=[*org.ancestor_ids, org.pk])
        )
        .values_list("need_id", flat=True)
    )
    # scope: the confirmed needs found above
    needs = CommonNeed._base_manager.filter(pk__in=links).select_related("survey__questionnaire")
    out = []
    for need in needs.order_by("-respondent_count", "position", "pk"):
        groups = []
        for dim, shares in (need.group_shares or {}).items():
            top = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_GROUPS]
            groups.append(
                {"dimension": dim, "top": [{"group": g, "percent": p} for g, p in top if p]}
            )
        out.append(
            {
                "label": need.label,
                "survey": need.survey.questionnaire.title,
                "respondents": need.respondent_count,
                "percent": round(need.share * 100, 1),
                "examples": list(need.examples or [])[:2],
                "groups": [g for g in groups if g["top"]],
            }
        )
    return out


def consultation(session: Session) -> dict | None:
    """The session's 三方研议: direction, expectations (texts only) and adjustments."""
    # scope: the consultation of the held, authorised session
    held = Consultation._base_manager.filter(session=session).first()
    if held is None:
        return None
    texts = list(
        children_of(held, Expectation, "consultation")
        .order_by("submitted_at", "id")
        .values_list("text", flat=True)
    )
    return {
        "held_on": held.held_on,
        "direction": held.direction,
        "adjustments": held.adjustments,
        "expectations": texts,
    }


def _unit_test(session: Session, kind: str) -> Assessment | None:
    """The pre- or post-test of the session's program unit (or, for a session outside units,
    the program-wide one)."""
    tests = children_of(session.program, Assessment, "program").filter(
        kind=kind, status__in=LIVE_TESTS, unit=session.unit
    )
    return tests.order_by("-id").first()


def _question_shares(test: Assessment, cadre_ids) -> tuple[int, dict[int, tuple[int, int]]]:
    """(attempts, question id → (right, answered)) over the attempts of ``cadre_ids``."""
    attempts = list(
        children_of(test, AssessmentAttempt, "assessment")
        .filter(cadre_id__in=cadre_ids)
        .values_list("answers", flat=True)
    )
    through = Assessment.questions.through.objects.filter(assessment_id=test.pk)
    # scope: the questions of a held test (a lecturer does not see the bank itself)
    questions = list(BankQuestion._base_manager.filter(pk__in=through.values("bankquestion_id")))
    shares: dict[int, tuple[int, int]] = {}
    for q in questions:
        right = sum(1 for a in attempts if q.is_right((a or {}).get(str(q.pk), [])))
        shares[q.pk] = (right, len(attempts))
    return len(attempts), shares


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def hard_questions(session: Session) -> dict:
    """The pre-test questions more than half of the expected trainees got wrong, and after
    class the post-test's right share on the same questions (gain in percentage points)."""
    pre = _unit_test(session, Assessment.Kind.PRE)
    if pre is None:
        return {"test": None}
    cadre_ids = list(expected_trainees(session).values_list("cadre_id", flat=True))
    n, shares = _question_shares(pre, cadre_ids)
    out: dict = {"test": pre, "attempts": n, "threshold": policies.min_group()}
    if not policies.enough(n):
        out["hidden"] = True
        return out
    # scope: the questions of the held pre-test
    by_id = BankQuestion._base_manager.in_bulk(list(shares))
    hard = []
    for qid, (right, answered) in shares.items():
        wrong = answered - right
        if answered and wrong / answered > WRONG_SHARE:
            q = by_id[qid]
            hard.append(
                {
                    "id": qid,
                    "text": q.text,
                    "options": q.options,
                    "answer": q.answer_letters,
                    "wrong": wrong,
                    "answered": answered,
                    "wrong_pct": _pct(wrong, answered),
                    "pre_right_pct": _pct(right, answered),
                }
            )
    hard.sort(key=lambda h: (-h["wrong"], h["id"]))
    out["questions"] = hard
    post = _unit_test(session, Assessment.Kind.POST) if session.ends_at <= timezone.now() else None
    if post is not None and hard:
        m, post_shares = _question_shares(post, cadre_ids)
        out["post"] = {"test": post, "attempts": m, "hidden": not policies.enough(m)}
        if policies.enough(m):
            for h in hard:
                if h["id"] in post_shares:
                    right, answered = post_shares[h["id"]]
                    h["post_right_pct"] = _pct(right, answered)
                    if h["post_right_pct"] is not None:
                        h["gain"] = round(h["post_right_pct"] - h["pre_right_pct"], 1)
    return out


def earlier_comments(actor: "User", session: Session) -> list[dict]:
    """Published comments of the same lecturers' earlier sessions of the same course (any
    program the actor can see), newest first, each only where its session met the threshold."""
    if session.course_id is None:
        return []
    lecturers = [lec.pk for lec in session.lecturers.all()]
    if not lecturers:
        return []
    if not can_manage_program(actor, session.program) and actor.cadre_id is not None:
        # a lecturer reads their own earlier sessions, not a co-lecturer's
        mine = Lecturer.objects.visible_to(actor).filter(cadre_id=actor.cadre_id)
        lecturers = [pk for pk in lecturers if pk in set(mine.values_list("pk", flat=True))]
    earlier = (
        Session.objects.visible_to(actor)
        .filter(
            course_id=session.course_id,
            lecturers__in=lecturers,
            status=Session.Status.SCHEDULED,
            ends_at__lte=min(session.starts_at, timezone.now()),
        )
        .exclude(pk=session.pk)
        .distinct()
        .select_related("program")
        .order_by("-starts_at", "-id")[:EARLIER_SESSIONS]
    )
    sessions = list(earlier)
    if not sessions:
        return []
    # scope: the sessions just read through the actor's view
    published = published_comments(Session._base_manager.filter(pk__in=[s.pk for s in sessions]))
    return [{"session": s, "comments": published[s.pk]} for s in sessions if published.get(s.pk)]


def brief(actor: "User", session: Session) -> dict:
    after = session.ends_at <= timezone.now()
    counts = (
        # scope: how many forms of the held session (a number, no rows)
        Session._base_manager.filter(pk=session.pk).aggregate(n=Count("evaluations"))["n"]
    )
    return {
        "needs": common_needs(session),
        "consultation": consultation(session),
        "room": room(session),
        "tests": hard_questions(session),
        "earlier": earlier_comments(actor, session),
        "after": after,
        "results": session_results(actor, session) if after else None,
        "forms": counts,
        "threshold": policies.min_group(),
    }
