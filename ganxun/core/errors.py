"""Domain errors: one subclass per app, each raised with a stable code.

The UI shows the (Chinese) message, the API returns the code, tests assert the code.
"""

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the request. Nothing was written."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, **details):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class NotFound(DomainError):
    """Missing and forbidden look the same from outside, so guessing ids reveals nothing."""

    status = 404

    def __init__(self, message: str = "未找到该对象，或您无权查看。"):
        super().__init__("not_found", message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限。"):
        super().__init__("forbidden", message)
