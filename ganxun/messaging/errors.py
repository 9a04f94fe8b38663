from ganxun.core.errors import DomainError


class MessagingError(DomainError):
    """Refusals of messaging: templates, channel preferences and policies (stable codes,
    Chinese messages)."""
