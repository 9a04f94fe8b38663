"""What other apps read about evaluations and tests of a program — the contract with outcomes
(graduation criteria, the four-level summary) and stats (the satisfaction trend). Plain
functions without an actor: callers have authorised access to the program or org already."""

from datetime import date, datetime, time

from django.db.models import Avg, Count, Q
from django.utils import timezone

from ganxun.core.scoping import children_of
from ganxun.evaluations import aggregates
from ganxun.evaluations.models import Assessment, AssessmentAttempt, SessionEvaluation

LIVE_TESTS = (Assessment.Status.OPEN, Assessment.Status.CLOSED)


def forms_filled(program, cadre_ids) -> dict[int, int]:
    """Cadre id → number of session forms submitted in the program (0 when none)."""
    ids = list(cadre_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        children_of(program, SessionEvaluation, "session__program")
        .filter(session__status="scheduled", cadre_id__in=ids)
        .values("cadre_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.update({row["cadre_id"]: row["n"] for row in rows})
    return counts


def tests_passed(program, cadre_ids) -> dict[int, bool]:
    """Cadre id → passed every post-test of the program (True when the program has none).
    Draft tests do not count: trainees cannot take them."""
    ids = list(cadre_ids)
    post_ids = list(
        children_of(program, Assessment, "program")
        .filter(kind=Assessment.Kind.POST, status__in=LIVE_TESTS)
        .values_list("pk", flat=True)
    )
    if not post_ids:
        return dict.fromkeys(ids, True)
    rows = (
        # scope: attempts at the held program's post-tests, read just above
        AssessmentAttempt._base_manager.filter(
            assessment_id__in=post_ids, cadre_id__in=ids, passed=True
        )
        .values("cadre_id")
        .annotate(n=Count("assessment_id", distinct=True))
        .order_by()
    )
    passed = {row["cadre_id"] for row in rows if row["n"] >= len(post_ids)}
    return {cid: cid in passed for cid in ids}


def program_reaction(program) -> dict:
    """Level 1 (reaction): forms submitted, forms expected (attendances), rate, overall mean
    (mean of each form's mean rating) and the mean per rating question."""
    evals = aggregates.evaluations(Q(session__program=program))
    head = aggregates.overall(evals)
    expected = aggregates.expected_count(Q(session__program=program))
    return {
        "responses": head["responses"],
        "expected": expected,
        "rate": aggregates._rate(head["responses"], expected),
        "mean": head["mean"],
        "by_question": [
            {"label": q["label"], "mean": q["mean"]} for q in aggregates.by_question(evals)
        ],
    }


def trainee_gains(program, unit=None) -> dict[int, dict]:
    """Cadre id → {pre, post, gain} in percentage points: the mean score of the trainee's
    pre-test attempts and of their post-test attempts; gain only when both exist."""
    tests = children_of(program, Assessment, "program").filter(status__in=LIVE_TESTS)
    if unit is not None:
        tests = tests.filter(unit=unit)
    rows = (
        children_of(tests, AssessmentAttempt, "assessment")
        .values("cadre_id", "assessment__kind")
        .annotate(p=Avg("percent"))
        .order_by()
    )
    out: dict[int, dict] = {}
    for row in rows:
        entry = out.setdefault(row["cadre_id"], {"pre": None, "post": None, "gain": None})
        entry[row["assessment__kind"]] = round(row["p"], 1)
    for entry in out.values():
        if entry["pre"] is not None and entry["post"] is not None:
            entry["gain"] = round(entry["post"] - entry["pre"], 1)
    return out


def program_learning(program) -> dict:
    """Level 2 (learning): trainees who took a post-test, mean pre and post score (percent) and
    the mean gain of the trainees who took both. None where there is no data."""
    gains = trainee_gains(program)
    pre = [g["pre"] for g in gains.values() if g["pre"] is not None]
    post = [g["post"] for g in gains.values() if g["post"] is not None]
    both = [g["gain"] for g in gains.values() if g["gain"] is not None]

    def mean(values):
        return round(sum(values) / len(values), 1) if values else None

    return {
        "tested": len(post),
        "pre_mean": mean(pre),
        "post_mean": mean(post),
        "gain": mean(both),
    }


def _aware(day: date, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def satisfaction_trend(org, start: date, end: date) -> list[dict]:
    """Month by month (YYYY-MM): mean score and number of forms for sessions between ``start``
    and ``end`` (inclusive) of programs owned within ``org``'s subtree."""
    evals = aggregates.evaluations(
        Q(session__program__org__path__startswith=org.path)
        & Q(session__starts_at__gte=_aware(start), session__starts_at__lte=_aware(end, True))
    )
    return aggregates.monthly(evals)
