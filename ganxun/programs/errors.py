from ganxun.core.errors import DomainError


class ProgramError(DomainError):
    """Refusals of programs, sessions, batches, outline review and consultations (stable codes)."""
