from ganxun.core.errors import DomainError


class CreditError(DomainError):
    """Refusals of the credit-hour ledger, rules and imports (stable codes)."""
