"""Every read of evaluations and tests, cut to what the actor may see."""

from ganxun.evaluations.selectors.assessments import (
    assessment_results,
    bank_list,
    get_assessment_for,
    get_bank_question_for,
    get_managed_assessment_for,
    my_assessments,
    program_assessments,
)
from ganxun.evaluations.selectors.forms import (
    FormState,
    attendees_without_form,
    form_closes_at,
    form_state,
    get_session_for_form,
    my_pending_forms,
)
from ganxun.evaluations.selectors.results import (
    DIMENSIONS,
    dimension_results,
    dimension_sessions,
    get_dimension_object_for,
    get_session_results_for,
    program_results,
    program_sessions_rates,
    rates_total,
    session_answers,
    session_results,
    suggestion_themes,
)

__all__ = [
    "DIMENSIONS",
    "FormState",
    "assessment_results",
    "attendees_without_form",
    "bank_list",
    "dimension_results",
    "dimension_sessions",
    "form_closes_at",
    "form_state",
    "get_assessment_for",
    "get_bank_question_for",
    "get_dimension_object_for",
    "get_managed_assessment_for",
    "get_session_for_form",
    "get_session_results_for",
    "my_assessments",
    "my_pending_forms",
    "program_assessments",
    "program_results",
    "program_sessions_rates",
    "rates_total",
    "session_answers",
    "session_results",
    "suggestion_themes",
]
