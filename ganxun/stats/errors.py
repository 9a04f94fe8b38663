from ganxun.core.errors import DomainError


class StatsError(DomainError):
    """Refusals of statistics queries (stable codes)."""
