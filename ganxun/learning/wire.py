"""The player's report, as it travels: ``{"seq", "t", "pos", "state", "rate"}``, integers in
milliseconds. Anything else is a malformed post (400 ``bad_report``), never a 500."""

from ganxun.learning.accounting import Report

MAX_INT = 2**31 - 1


class BadReport(Exception):
    def __init__(self, code: str = "bad_report"):
        super().__init__(code)
        self.code = code


def _int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadReport
    if value != value or not -MAX_INT <= value <= MAX_INT * 1000:  # NaN, absurd
        raise BadReport
    return int(value)


def parse_reports(raw) -> list[Report]:
    if not isinstance(raw, list):
        raise BadReport
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise BadReport
        rate = item.get("rate", 1)
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 16:
            raise BadReport
        state = item.get("state")
        out.append(
            Report(
                seq=_int(item.get("seq")),
                t_ms=_int(item.get("t")),
                pos_ms=_int(item.get("pos")),
                state=state if isinstance(state, str) else "",
                rate=float(rate),
            )
        )
    return out
