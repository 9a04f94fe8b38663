from ganxun.core.errors import DomainError


class ReminderError(DomainError):
    """A reminder setting or a 催办 refused; ``code`` says why."""
