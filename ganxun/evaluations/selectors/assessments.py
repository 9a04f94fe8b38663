"""Reads of the question bank, tests and their results (scores, gains per trainee, per unit
of the trainees and per program)."""

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from ganxun.core.errors import PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.evaluations.models import Assessment, AssessmentAttempt, BankQuestion
from ganxun.evaluations.progress import trainee_gains
from ganxun.programs.models import ProgramTrainee
from ganxun.programs.policies import can_manage_program

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def bank_list(actor: "User", *, q: str = "", kind: str = "", course=None) -> QuerySet[BankQuestion]:
    qs = (
        BankQuestion.objects.visible_to(actor)
        .filter(is_active=True)
        .select_related("owner", "course", "unit", "unit__program")
    )
    if q:
        qs = qs.filter(text__contains=q)
    if kind:
        qs = qs.filter(kind=kind)
    if course:
        qs = qs.filter(course=course)
    return qs


def get_bank_question_for(actor: "User", pk) -> BankQuestion:
    return _get(BankQuestion.objects.visible_to(actor).select_related("owner"), pk)


def get_assessment_for(actor: "User", pk) -> Assessment:
    return _get(
        Assessment.objects.visible_to(actor).select_related("program", "program__org", "unit"),
        pk,
    )


def get_managed_assessment_for(actor: "User", pk) -> Assessment:
    assessment = get_assessment_for(actor, pk)
    if not can_manage_program(actor, assessment.program):
        raise PermissionDenied()
    return assessment


def program_assessments(program) -> list[Assessment]:
    return list(
        children_of(program, Assessment, "program")
        .select_related("unit")
        .annotate(
            n_questions=Count("questions", distinct=True),
            n_attempts=Count("attempts", distinct=True),
            n_passed=Count("attempts", filter=Q(attempts__passed=True), distinct=True),
        )
        .order_by("unit__seq", "kind", "id")
    )


def my_assessments(actor: "User") -> list[Assessment]:
    """Open tests of the actor's programs, each marked with the actor's attempt if any."""
    if not actor.cadre_id:
        return []
    # scope: the actor's own trainee rows (by their cadre)
    programs = ProgramTrainee._base_manager.filter(cadre_id=actor.cadre_id).values("program_id")
    tests = list(
        # scope: tests of the programs the actor takes part in, whatever roles they hold
        Assessment._base_manager.filter(program_id__in=programs)
        .filter(Q(status=Assessment.Status.OPEN) | Q(attempts__cadre_id=actor.cadre_id))
        .distinct()
        .select_related("program", "unit")
        .order_by("-program__start_date", "kind", "id")
    )
    attempts = {
        a.assessment_id: a
        # scope: the actor's own attempts (by their cadre) at tests read above
        for a in AssessmentAttempt._base_manager.filter(
            cadre_id=actor.cadre_id, assessment__in=[t.pk for t in tests]
        )
    }
    for t in tests:
        t.my_attempt = attempts.get(t.pk)
    return tests


def _mean(values):
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def assessment_results(program, *, with_names: bool = True) -> dict:
    """Gains of the program's trainees: per trainee (pre, post, gain), per unit of the trainees
    (org) and for the program, plus pass counts per test."""
    gains = trainee_gains(program)
    trainees = {
        t.cadre_id: t
        for t in children_of(program, ProgramTrainee, "program")
        .filter(cadre_id__in=list(gains))
        .select_related("cadre", "cadre__unit")
    }
    per_trainee = []
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for cadre_id, g in gains.items():
        row = trainees.get(cadre_id)
        unit = row.cadre.unit.name if row and row.cadre.unit_id else "—"
        name = row.cadre.name if row else f"#{cadre_id}"
        per_trainee.append({"name": name if with_names else "", "unit": unit, **g})
        by_unit[unit].append(g)
    per_trainee.sort(key=lambda r: (r["unit"], r["name"]))
    units = [
        {
            "unit": unit,
            "tested": len(rows),
            "pre": _mean(r["pre"] for r in rows),
            "post": _mean(r["post"] for r in rows),
            "gain": _mean(r["gain"] for r in rows),
        }
        for unit, rows in sorted(by_unit.items())
    ]
    tests = [
        {
            "test": t,
            "attempts": t.n_attempts,
            "passed": t.n_passed,
        }
        for t in program_assessments(program)
    ]
    return {"trainees": per_trainee, "units": units, "tests": tests}
