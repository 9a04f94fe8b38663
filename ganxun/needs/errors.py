from ganxun.core.errors import DomainError


class NeedsError(DomainError):
    """Refusals of needs surveys, links and common needs (codes stable, messages Chinese)."""


class LinkError(NeedsError):
    """A personal link that cannot be used now; ``status`` is the HTTP status of its page."""

    def __init__(self, code: str, message: str, *, status: int):
        super().__init__(code, message)
        self.status = status
