from ganxun.evaluations.models.assessments import (
    Assessment,
    AssessmentAttempt,
    BankQuestion,
)
from ganxun.evaluations.models.comments import CommentReview
from ganxun.evaluations.models.forms import EvaluationSetup, SessionEvaluation

__all__ = [
    "Assessment",
    "AssessmentAttempt",
    "BankQuestion",
    "CommentReview",
    "EvaluationSetup",
    "SessionEvaluation",
]
