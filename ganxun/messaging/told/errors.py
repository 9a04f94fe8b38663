from ganxun.core.errors import DomainError


class ToldError(DomainError):
    """A refusal of the "who was told" pages (resend)."""
