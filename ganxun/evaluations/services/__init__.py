"""Every evaluations write: one transaction each, audited. Views, API, jobs and demo call these."""

from ganxun.evaluations.services.assessments import (
    AssessmentData,
    BankQuestionData,
    assessment_add_questions,
    assessment_remove_question,
    assessment_save,
    assessment_set_status,
    assessment_submit,
    bank_question_delete,
    bank_question_save,
)
from ganxun.evaluations.services.comments import comments_remind_pending, comments_review
from ganxun.evaluations.services.forms import (
    evaluation_submit,
    form_activate,
    form_customize,
    form_window,
    setup_ensure,
    setup_update,
)

__all__ = [
    "AssessmentData",
    "BankQuestionData",
    "assessment_add_questions",
    "assessment_remove_question",
    "assessment_save",
    "assessment_set_status",
    "assessment_submit",
    "bank_question_delete",
    "bank_question_save",
    "comments_remind_pending",
    "comments_review",
    "evaluation_submit",
    "form_activate",
    "form_customize",
    "form_window",
    "setup_ensure",
    "setup_update",
]
