from ganxun.core.errors import DomainError

# HTTP status per refusal, for the API (the pages show the message whatever the status).
# A forged code names no check-in at all: 404, like a guessed personal survey link.
STATUS = {"not_enrolled": 403, "session_closed": 409, "no_cadre": 403, "code_invalid": 404}


class CheckinError(DomainError):
    """Refusals of check-in (stable codes: not_enrolled, session_closed, code_expired,
    code_invalid, out_of_range, invalid_venue, invalid_id_number, checkout_not_required,
    not_checked_in, …)."""

    def __init__(self, code: str, message: str, **kwargs):
        super().__init__(code, message, **kwargs)
        self.status = STATUS.get(code, 400)
