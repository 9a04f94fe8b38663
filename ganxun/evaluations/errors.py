from ganxun.core.errors import DomainError


class EvaluationError(DomainError):
    """Refusals of evaluation forms and tests (stable codes)."""
