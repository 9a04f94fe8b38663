"""Turning a player's reports into watched intervals — pure, no database.

A report says, at a moment of the page's own clock (``t_ms`` since the play session started),
where the video is (``pos_ms``), in what state (playing, paused, hidden, ended) and at what
rate. The server keeps a *cursor* (the last report it accepted) and credits the span between
the cursor's position and the new one only when all of these hold:

* the cursor was ``playing`` (a paused or hidden page earns nothing; the player pauses the video
  when the page is hidden);
* the video moved forward no faster than the allowed speed over the page's clock
  (``Δpos ≤ Δt × max_speed + tolerance``) and the page did not claim a faster rate — a bigger
  jump is a seek, credited nothing;
* the play session's total stays within the wall time that really passed on the *server's*
  clock at the allowed speed (``credited ≤ elapsed × max_speed + tolerance``): a page that lies
  about its clock gains nothing, and neither do buffered reports sent late all at once.

Reports are refused with a reason, never a 500: a sequence number already seen (``replayed``)
or older (``out_of_order``), a clock going back (``out_of_order``), a moment later than the
server's elapsed time (``future``), a position outside the video (``beyond_length``), an unknown
state (``bad_state``), and — when the course forbids it — a position past the furthest point
watched (``seek_forbidden``: the player is told where to go back to).
"""

from dataclasses import dataclass, field

STATES = ("playing", "paused", "hidden", "ended")
TOLERANCE_MS = 1500  # report jitter, the player's timeupdate granularity
FUTURE_SLACK_MS = 3000  # the page's clock starts a moment after the server's
END_SLACK_MS = 1000  # containers round their duration


@dataclass(frozen=True)
class Report:
    seq: int
    t_ms: int
    pos_ms: int
    state: str
    rate: float = 1.0


@dataclass(frozen=True)
class Cursor:
    seq: int = 0
    t_ms: int = 0
    pos_ms: int = 0
    state: str = "paused"
    credited_ms: int = 0


@dataclass(frozen=True)
class Rules:
    duration_ms: int
    max_speed: float = 1.0
    forbid_seek_ahead: bool = False


@dataclass
class Step:
    cursor: Cursor
    accepted: bool = True
    reason: str = ""  # why refused or ignored, or a note on an accepted report ("seek")
    segment: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


def step(
    cursor: Cursor, report: Report, rules: Rules, *, elapsed_ms: int, furthest_ms: int
) -> Step:
    """Apply one report to the cursor: the new cursor and the span newly watched, if any."""
    if report.seq == cursor.seq:
        return Step(cursor, False, "replayed")
    if report.seq < cursor.seq or report.t_ms < cursor.t_ms:
        return Step(cursor, False, "out_of_order")
    if report.t_ms > elapsed_ms + FUTURE_SLACK_MS:
        return Step(cursor, False, "future")
    if report.state not in STATES:
        return Step(cursor, False, "bad_state")
    if report.pos_ms < 0 or report.pos_ms > rules.duration_ms + END_SLACK_MS:
        return Step(cursor, False, "beyond_length")
    pos = min(report.pos_ms, rules.duration_ms)
    notes: list[str] = []
    segment = None
    credited = cursor.credited_ms
    moved = pos - cursor.pos_ms
    if cursor.state == "playing" and moved > 0:
        allowed = (report.t_ms - cursor.t_ms) * rules.max_speed + TOLERANCE_MS
        if report.rate > rules.max_speed + 0.01:
            notes.append("too_fast")
        elif moved > allowed:
            notes.append("seek")
        else:
            budget = int(elapsed_ms * rules.max_speed) + TOLERANCE_MS - credited
            span = min(moved, max(budget, 0))
            if span < moved:
                notes.append("capped")
            if span > 0:
                segment = _snapped(cursor.pos_ms, cursor.pos_ms + span, report.state, rules)
                credited += span
    elif moved != 0:
        notes.append("seek")
    reach = max(furthest_ms, segment[1] if segment else 0)
    if rules.forbid_seek_ahead and pos > reach + TOLERANCE_MS:
        # Keep what was watched up to here; the player goes back to ``reach``.
        kept = Cursor(report.seq, report.t_ms, reach, "paused", credited)
        return Step(kept, False, "seek_forbidden", segment, notes)
    new = Cursor(report.seq, report.t_ms, pos, report.state, credited)
    return Step(new, True, notes[0] if notes else "", segment, notes)


def _snapped(start: int, end: int, state: str, rules: Rules) -> tuple[int, int]:
    """Players start a few frames in and stop a few frames short of the container's length:
    a span beginning within ``END_SLACK_MS`` of the start, or one the browser says ended within
    it of the end, reaches that edge (at most a second each, inside the wall-time tolerance)."""
    if start <= END_SLACK_MS:
        start = 0
    if state == "ended" and end >= rules.duration_ms - END_SLACK_MS:
        end = rules.duration_ms
    return start, end


def add_interval(intervals: list[list[int]], start: int, end: int) -> list[list[int]]:
    """The union of ``intervals`` (sorted, disjoint) and [start, end), merged."""
    if end <= start:
        return [list(i) for i in intervals]
    out: list[list[int]] = []
    placed = False
    for a, b in intervals:
        if b < start:
            out.append([a, b])
        elif a > end:
            if not placed:
                out.append([start, end])
                placed = True
            out.append([a, b])
        else:
            start, end = min(a, start), max(b, end)
    if not placed:
        out.append([start, end])
    return sorted(out)


def covered(intervals: list[list[int]]) -> int:
    return sum(b - a for a, b in intervals)
