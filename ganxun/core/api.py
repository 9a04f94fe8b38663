"""What every app's JSON API shares: the error body, one schema for all of them."""

from ninja import Schema


class ErrorOut(Schema):
    """A refusal: the DomainError's code and its message (config/api.py renders them)."""

    code: str
    message: str
