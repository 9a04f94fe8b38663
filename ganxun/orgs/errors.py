from ganxun.core.errors import DomainError


class OrgError(DomainError):
    """Refusals of the organization tree and roster (codes are stable, messages Chinese)."""
