from ganxun.core.errors import DomainError


class LearningError(DomainError):
    """Refusals of online courses, lessons and progress reports (stable codes)."""
