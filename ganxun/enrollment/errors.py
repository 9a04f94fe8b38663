from ganxun.core.errors import DomainError


class EnrollmentError(DomainError):
    """Refusals of quotas, nominations, self-selection and leave (stable codes)."""
