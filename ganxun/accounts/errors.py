from ganxun.core.errors import DomainError


class AccountError(DomainError):
    """Refusals about accounts, roles and tokens."""
