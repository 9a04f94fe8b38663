from ganxun.core.errors import DomainError


class CheckinError(DomainError):
    """Refusals of check-in (stable codes: not_enrolled, session_closed, code_expired, …)."""
