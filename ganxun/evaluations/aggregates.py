"""Aggregates of satisfaction forms over any set of sessions: one function per figure, each a
bounded number of GROUP BY queries whatever the number of answers. Callers have authorised the
actor already (selectors, progress.py), so these read through the base managers."""

from collections import defaultdict

from django.db.models import Avg, Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth

from ganxun.checkin.models import Attendance
from ganxun.evaluations.models import SessionEvaluation
from ganxun.evaluations.policies import enough
from ganxun.surveys.models import RATING_SCALE, Answer, Question


def evaluations(q: Q) -> QuerySet:
    """Submitted forms of the sessions ``q`` selects (a Q over SessionEvaluation)."""
    # q is the caller's cut: a held session or program, a checked org's subtree, or the
    # actor's visible sessions (selectors.results._dimension_q).
    # scope: q is the caller's authorised cut (see above)
    return SessionEvaluation._base_manager.filter(q, session__status="scheduled")


def expected_count(q: Q) -> int:
    """Who could have answered: every attendance of the selected sessions (a form is offered to
    each trainee who checked in). ``q`` is the same filter with ``session`` lookups."""
    # scope: q is the caller's authorised cut, as for evaluations() above
    return Attendance._base_manager.filter(q, session__status="scheduled").count()


def _rate(responses: int, expected: int) -> float | None:
    return round(min(responses / expected, 1.0), 4) if expected else None


def _round(value) -> float | None:
    return round(value, 2) if value is not None else None


def overall(evals: QuerySet) -> dict:
    row = evals.aggregate(n=Count("id"), mean=Avg("mean_score"))
    return {"responses": row["n"], "mean": _round(row["mean"])}


def by_question(evals: QuerySet) -> list[dict]:
    """Per rating question (grouped by its text, so programs with the default form add up):
    mean, number of answers and the distribution over 1–5, in the form's order."""
    rows = (
        # scope: the answers of the forms the caller selected (evals, already cut)
        Answer._base_manager.filter(
            response__evaluation__in=evals.values("pk"), question__kind=Question.Kind.RATING
        )
        .values("question__text", "number")
        .annotate(n=Count("id"), pos=Min("question__position"))
        .order_by()
    )
    dist: dict[str, dict[int, int]] = defaultdict(lambda: dict.fromkeys(RATING_SCALE, 0))
    pos: dict[str, int] = {}
    for row in rows:
        label = row["question__text"]
        if row["number"] in RATING_SCALE:
            dist[label][row["number"]] += row["n"]
        pos[label] = min(pos.get(label, row["pos"]), row["pos"])
    out = []
    for label in sorted(dist, key=lambda lab: (pos[lab], lab)):
        counts = dist[label]
        n = sum(counts.values())
        mean = sum(k * v for k, v in counts.items()) / n if n else None
        out.append(
            {
                "label": label,
                "mean": _round(mean),
                "n": n,
                "distribution": [counts[k] for k in RATING_SCALE],
            }
        )
    return out


def suggestions(evals: QuerySet, limit: int = 2000) -> list[str]:
    """Free-text answers (建议), newest first."""
    return list(
        # scope: the answers of the forms the caller selected (evals, already cut)
        Answer._base_manager.filter(
            response__evaluation__in=evals.values("pk"),
            question__kind__in=Question.TEXT_KINDS,
        )
        .exclude(text="")
        .order_by("-response__submitted_at", "-id")
        .values_list("text", flat=True)[:limit]
    )


def _shown(rows: list[dict]) -> list[dict]:
    """Groups below the anonymity threshold (``policies.min_group``) are never shown."""
    return [r for r in rows if enough(r["responses"])]


def monthly(evals: QuerySet) -> list[dict]:
    """Trend: mean score and number of forms per month of the session (months with fewer forms
    than the anonymity threshold left out)."""
    rows = (
        evals.annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(mean=Avg("mean_score"), responses=Count("id"))
        .order_by("month")
    )
    return _shown(
        [
            {
                "month": row["month"].strftime("%Y-%m"),
                "mean": _round(row["mean"]),
                "responses": row["responses"],
            }
            for row in rows
        ]
    )


def ranking(evals: QuerySet, key: str, name: str) -> list[dict]:
    """Mean score and number of forms grouped by ``key`` (e.g. "session__lecturers"), best
    first; ``name`` is the lookup of the label shown. Groups below the anonymity threshold are
    left out."""
    rows = (
        evals.exclude(**{f"{key}__isnull": True})
        .values(key, name)
        .annotate(mean=Avg("mean_score"), responses=Count("id", distinct=True))
        .order_by("-mean", name)
    )
    return _shown(
        [
            {"id": r[key], "name": r[name], "mean": _round(r["mean"]), "responses": r["responses"]}
            for r in rows
        ]
    )
