from ganxun.core.errors import DomainError


class SurveyError(DomainError):
    """Refusals of the question engine (codes are stable, messages Chinese)."""
