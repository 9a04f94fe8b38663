"""Every read of questionnaires, cut to what the actor may see."""

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch

from ganxun.core.fetch import get_visible_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.surveys.models import Option, Question, Questionnaire, Section

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def get_questionnaire_for(actor: "User", pk) -> Questionnaire:
    """Fetch-and-authorise: missing and out-of-scope both answer "not found"."""
    return _get(Questionnaire, actor, pk, ("org",))


def get_section_for(actor: "User", pk) -> Section:
    return _get(Section, actor, pk, ("questionnaire", "questionnaire__org"))


def get_question_for(actor: "User", pk) -> Question:
    return _get(Question, actor, pk, ("questionnaire", "questionnaire__org", "section"))


def questionnaire_outline(questionnaire: Questionnaire) -> list[Section]:
    """Sections with their questions and options, in three queries, for the builder. Read as
    the ambient actor, a builder who was shown the questionnaire: its sections, questions and
    options follow the questionnaire's own rule, so they see them all."""
    questions = Question.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.all())
    )
    return list(
        Section.objects.filter(questionnaire=questionnaire).prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


def question_counts(questionnaire: Questionnaire) -> dict:
    rows = (
        children_of(questionnaire, Question, "questionnaire")
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}
