from ganxun.core.errors import DomainError


class OutcomeError(DomainError):
    """Refusals of follow-ups, outcomes, graduation and certificates (stable codes)."""
