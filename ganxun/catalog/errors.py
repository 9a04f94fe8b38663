from ganxun.core.errors import DomainError


class CatalogError(DomainError):
    """Refusals of the catalogue, faculty pool, resources and course selection (stable codes)."""
