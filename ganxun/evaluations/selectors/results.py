"""Results of satisfaction forms: per session, per program, and per lecturer, course, theme,
unit (org of the trainees) and venue. Anonymity rules from ``policies`` are applied here, so
every page and the API get the same cut."""

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import Course, Lecturer, Theme
from ganxun.checkin.models import Attendance
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.evaluations import aggregates, policies
from ganxun.evaluations.models import SessionEvaluation
from ganxun.evaluations.selectors.comments import pending_by_session
from ganxun.needs.clustering import cluster_needs
from ganxun.needs.taxonomy import load_taxonomy
from ganxun.orgs.models import Org
from ganxun.programs.models import Session, Venue
from ganxun.surveys.models import Answer, Question

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from ganxun.accounts.models import User

MAX_CLUSTERED = 400


# --- one session ----------------------------------------------


# scope: the lecturers of the session fetched here through the actor's view (names on the page)
LECTURERS = Prefetch("lecturers", queryset=Lecturer._base_manager.order_by("name"))


def get_session_results_for(actor: "User", pk) -> Session:
    session = _get(
        Session.objects.visible_to(actor)
        .select_related("program", "program__org", "course", "main_venue")
        .prefetch_related(LECTURERS),
        pk,
    )
    if not policies.can_see_session_results(actor, session):
        raise PermissionDenied()
    return session


def _hidden(responses: int) -> dict:
    return {
        "hidden": True,
        "missing": policies.min_group() - responses,
        "threshold": policies.min_group(),
    }


def session_results(actor: "User", session: Session) -> dict:
    """Aggregates of one session; for a lecturer below the threshold only how many more
    answers are needed — no figures at all."""
    q = Q(session=session)
    evals = aggregates.evaluations(q)
    head = aggregates.overall(evals)
    if policies.sees_as_lecturer(actor, session) and not policies.enough_for_lecturer(
        head["responses"]
    ):
        return _hidden(head["responses"])
    expected = aggregates.expected_count(q)
    return {
        "hidden": False,
        **head,
        "expected": expected,
        "rate": aggregates._rate(head["responses"], expected),
        "by_question": aggregates.by_question(evals),
    }


def session_answers(session: Session, *, with_names: bool) -> dict:
    """Each form of the session as a row of scores (organizers only): the columns are the
    rating questions, then the free text. Rows are ordered by score, not by time, so the order
    does not follow who checked in first."""
    rows = (
        # Names only when the policy allows (with_names).
        # scope: the forms of a session the view fetched with get_session_results_for
        Answer._base_manager.filter(response__evaluation__session=session)
        .values(
            "response__evaluation__id",
            "response__evaluation__mean_score",
            "response__evaluation__cadre__name",
            "question__text",
            "question__kind",
            "question__position",
            "number",
            "text",
        )
        .order_by("question__section__position", "question__position", "question_id")
    )
    columns: list[str] = []
    forms: dict[int, dict] = {}
    for row in rows:
        label = row["question__text"]
        if label not in columns:
            columns.append(label)
        form = forms.setdefault(
            row["response__evaluation__id"],
            {
                "mean": row["response__evaluation__mean_score"],
                "name": row["response__evaluation__cadre__name"] if with_names else "",
                "values": {},
            },
        )
        is_rating = row["question__kind"] == Question.Kind.RATING
        form["values"][label] = row["number"] if is_rating else row["text"]
    ordered = sorted(forms.items(), key=lambda kv: (-(kv[1]["mean"] or 0), kv[0]))
    return {
        "columns": columns,
        "rows": [
            {"name": f["name"], "cells": [f["values"].get(c, "") for c in columns]}
            for _pk, f in ordered
        ],
    }


# --- programs ----------------------------------------------


def _count_sub(model, **filters):
    # scope: counted per row of the outer sessions query, which the caller already cut
    rows = model._base_manager.filter(session=OuterRef("pk"), **filters).order_by()
    sub = rows.values("session").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def program_sessions_rates(program) -> list[Session]:
    """Every scheduled session with its attendance, forms submitted and response rate."""
    sessions: list[Session] = list(
        children_of(program, Session, "program")
        .filter(status=Session.Status.SCHEDULED)
        .select_related("course")
        .annotate(n_attended=_count_sub(Attendance), n_forms=_count_sub(SessionEvaluation))
        .order_by("starts_at", "id")
    )
    means = dict(
        aggregates.evaluations(Q(session__program=program))
        .values("session_id")
        .annotate(m=aggregates.Avg("mean_score"))
        .values_list("session_id", "m")
        .order_by()
    )
    pending = pending_by_session(children_of(program, Session, "program"))
    for s in sessions:
        s.pending = pending.get(s.pk, 0)  # type: ignore[attr-defined]
        # marks the table reads beside the session's own fields
        s.rate = aggregates._rate(s.n_forms, s.n_attended)  # type: ignore[attr-defined]
        s.mean = round(means[s.pk], 2) if means.get(s.pk) is not None else None  # type: ignore[attr-defined]
    return sessions


FEEDBACK_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "feedback_taxonomy.json"


@lru_cache(maxsize=1)
def feedback_taxonomy():
    """Topics of class feedback (cases, interaction, timing, materials…): the needs clustering
    places texts by a taxonomy first, and the needs taxonomy is about what cadres lack, not
    about how a class went — so the same algorithm gets its own small topic list."""
    return load_taxonomy(FEEDBACK_TAXONOMY)


def rates_total(sessions: list[Session]) -> dict:
    """The program's line under the per-session table: attendances, forms, rate."""
    # counts annotated by program_sessions_rates
    attended = sum(s.n_attended for s in sessions)  # type: ignore[attr-defined]
    forms = sum(s.n_forms for s in sessions)  # type: ignore[attr-defined]
    pending = sum(s.pending for s in sessions)  # type: ignore[attr-defined]
    return {
        "attended": attended,
        "forms": forms,
        "rate": aggregates._rate(forms, attended),
        "pending": pending,
    }


def suggestion_themes(texts: list[str]) -> list[dict]:
    """Suggestions grouped into themes by the needs clustering (taxonomy first, then character
    n-grams for the rest); each theme with its size and up to three distinct examples."""
    if not texts:
        return []

    texts = texts[:MAX_CLUSTERED]
    result = cluster_needs(texts, feedback_taxonomy())
    themes = []
    for c in result.clusters:
        examples = list(dict.fromkeys(texts[i] for i in (c.representatives or c.members)))
        if len(examples) < 3:
            examples = list(dict.fromkeys(examples + [texts[i] for i in c.members]))
        themes.append({"label": c.label, "count": len(c.members), "examples": examples[:3]})
    return themes


def program_results(program) -> dict:
    """Everything on the program's evaluation tab; the per-question figures are computed once
    and shared with the reaction summary (the same shape as ``progress.program_reaction``)."""
    q = Q(session__program=program)
    evals = aggregates.evaluations(q)
    head = aggregates.overall(evals)
    expected = aggregates.expected_count(q)
    questions = aggregates.by_question(evals)
    reaction = {
        **head,
        "expected": expected,
        "rate": aggregates._rate(head["responses"], expected),
        "by_question": [{"label": x["label"], "mean": x["mean"]} for x in questions],
    }
    return {
        "reaction": reaction,
        "by_question": questions,
        "lecturers": aggregates.ranking(evals, "session__lecturers", "session__lecturers__name"),
        "courses": aggregates.ranking(evals, "session__course", "session__course__title"),
        "units": aggregates.ranking(evals, "cadre__unit", "cadre__unit__name"),
        "trend": aggregates.monthly(evals),
        "suggestions": aggregates.suggestions(evals, limit=MAX_CLUSTERED),
        "min_group": policies.min_group(),
    }


# --- lecturer, course, theme, unit (org), venue ----------------------------------------------

DIMENSIONS: dict[str, tuple["StrOrPromise", type[Lecturer | Course | Theme | Org | Venue]]] = {
    "lecturer": (_("授课教师"), Lecturer),
    "course": (_("课程"), Course),
    "theme": (_("专题"), Theme),
    "org": (_("单位"), Org),
    "venue": (_("教室"), Venue),
}


def get_dimension_object_for(actor: "User", dim: str, pk):
    if dim not in DIMENSIONS:
        raise NotFound()
    obj = _get(DIMENSIONS[dim][1].objects.visible_to(actor), pk)
    if dim == "lecturer":
        if not policies.can_see_lecturer_results(actor, obj):
            raise PermissionDenied()
    elif not policies.can_manage_evaluations(actor):
        raise PermissionDenied()
    return obj


def _dim_sessions(dim: str, obj):
    # scope: both callers cut these to the actor's visible sessions (pk__in=visible)
    base = Session._base_manager
    if dim == "lecturer":
        return base.filter(lecturers=obj)
    if dim == "course":
        return base.filter(course=obj)
    if dim == "theme":
        return base.filter(course__theme=obj)
    return base.filter(Q(main_venue=obj) | Q(sub_venues=obj))


def _dimension_q(actor: "User", dim: str, obj, *, as_lecturer: bool) -> Q:
    """A filter that serves both forms and attendances (both have ``session`` and ``cadre``).
    Sessions go through a subquery, so an M2M join never counts a form twice."""
    visible = Session.objects.visible_to(actor).values("pk")
    if dim == "org":
        return Q(cadre__unit__path__startswith=obj.path) & Q(session__in=visible)
    sessions = _dim_sessions(dim, obj).filter(pk__in=visible)
    if as_lecturer:
        sessions = sessions.filter(lecturers__cadre_id=actor.cadre_id)
    return Q(session__in=sessions.values("pk"))


def dimension_results(actor: "User", dim: str, obj) -> dict:
    """Aggregates over the sessions of a lecturer, course, theme or venue, or over the forms
    of trainees of an org subtree — cut to the sessions the actor may see. A lecturer looking
    at their own page sees totals and months only where at least the threshold answered."""
    as_lecturer = dim == "lecturer" and not policies.can_manage_evaluations(actor)
    q = _dimension_q(actor, dim, obj, as_lecturer=as_lecturer)
    evals = aggregates.evaluations(q)
    head = aggregates.overall(evals)
    trend = aggregates.monthly(evals)
    if not policies.enough(head["responses"]):
        # a unit, lecturer, course, theme or classroom with too few forms: hidden for every role
        return {**_hidden(head["responses"]), "trend": []}
    expected = aggregates.expected_count(q)
    return {
        "hidden": False,
        **head,
        "expected": expected,
        "rate": aggregates._rate(head["responses"], expected),
        "by_question": aggregates.by_question(evals),
        "trend": trend,
    }


def dimension_sessions(actor: "User", dim: str, obj, limit: int = 50) -> list[Session]:
    """The latest sessions behind a lecturer's, course's, theme's or venue's results, with the
    number of forms each received (links to the session results, where the threshold applies)."""
    if dim == "org":
        return []
    sessions = _dim_sessions(dim, obj).filter(
        pk__in=Session.objects.visible_to(actor).values("pk"), status=Session.Status.SCHEDULED
    )
    return list(
        sessions.annotate(n_forms=_count_sub(SessionEvaluation))
        .select_related("program")
        .order_by("-starts_at", "-id")[:limit]
    )
