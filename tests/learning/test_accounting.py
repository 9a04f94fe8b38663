"""The interval accounting, pure: what a stream of reports earns."""

from ganxun.learning.accounting import Cursor, Report, Rules, add_interval, covered, step

MIN = 60_000


def run(reports, *, rules=None, elapsed_ms=10**9, cursor=None):
    rules = rules or Rules(duration_ms=10 * MIN)
    cursor = cursor or Cursor()
    intervals: list[list[int]] = []
    furthest = 0
    steps = []
    for r in reports:
        s = step(cursor, r, rules, elapsed_ms=elapsed_ms, furthest_ms=furthest)
        if s.segment:
            intervals = add_interval(intervals, *s.segment)
            furthest = max(furthest, s.segment[1])
        cursor = s.cursor
        steps.append(s)
    return intervals, steps


def rep(seq, t, pos, state="playing", rate=1.0):
    return Report(seq, int(t * 1000), int(pos * 1000), state, rate)


def test_continuous_playing_is_credited_in_full():
    # given reports every 5 s while playing from 0 to 30 s
    intervals, steps = run([rep(i + 1, 5 * i, 5 * i) for i in range(7)])
    # then [0, 30 s] is watched
    assert intervals == [[0, 30_000]]
    assert all(s.accepted for s in steps)


def test_overlapping_replays_count_once():
    # given 0–20 s watched, then back to 10 s and on to 30 s
    intervals, _ = run(
        [
            rep(1, 0, 0),
            rep(2, 10, 10),
            rep(3, 20, 20),
            rep(4, 21, 10),
            rep(5, 31, 20),
            rep(6, 41, 30),
        ]
    )
    # then the union is 0–30 s: the second pass over 10–20 s adds nothing
    assert covered(intervals) == 30_000


def test_a_seek_forward_is_not_credited():
    # given 0–10 s played, then a jump to 5 min
    intervals, steps = run([rep(1, 0, 0), rep(2, 10, 10), rep(3, 11, 300), rep(4, 16, 305)])
    # then only what was played counts, and the jump is noted
    assert intervals == [[0, 10_000], [300_000, 305_000]]
    assert steps[2].reason == "seek"


def test_position_faster_than_the_allowed_speed_is_a_seek():
    # given the course allows 1×, and the video moves 20 s in 10 s of page time
    intervals, steps = run([rep(1, 0, 0), rep(2, 10, 20)])
    assert intervals == [] and steps[1].reason == "seek"
    # but at 2× allowed the same span counts
    intervals, _ = run(
        [rep(1, 0, 0), rep(2, 10, 20, rate=2.0)], rules=Rules(duration_ms=10 * MIN, max_speed=2)
    )
    assert intervals == [[0, 20_000]]


def test_a_claimed_rate_above_the_allowed_one_earns_nothing():
    intervals, steps = run([rep(1, 0, 0), rep(2, 10, 10, rate=2.0)])
    assert intervals == [] and "too_fast" in steps[1].notes


def test_never_more_than_the_wall_time_that_passed_on_the_server():
    # given a page whose clock claims 60 s passed while the server saw only 20 s
    rules = Rules(duration_ms=10 * MIN)
    s1 = step(Cursor(), rep(1, 0, 0), rules, elapsed_ms=20_000, furthest_ms=0)
    s2 = step(s1.cursor, rep(2, 20, 20), rules, elapsed_ms=20_000, furthest_ms=0)
    s3 = step(s2.cursor, rep(3, 21, 40), rules, elapsed_ms=21_000, furthest_ms=0)
    # then the 40 s claimed are cut to about 21 s of wall time (+ the tolerance)
    total = sum(b - a for s in (s1, s2, s3) if s.segment for a, b in [s.segment])
    assert total <= 21_000 + 1500
    assert "seek" in s3.notes or "capped" in s3.notes


def test_paused_and_hidden_time_earns_nothing():
    intervals, _ = run(
        [
            rep(1, 0, 0),
            rep(2, 5, 5, "paused"),
            rep(3, 60, 65, "paused"),
            rep(4, 65, 70, "hidden"),
            rep(5, 70, 75),
        ]
    )
    assert intervals == [[0, 5_000]]


def test_bad_reports_are_refused_with_a_reason():
    rules = Rules(duration_ms=MIN)
    base = step(Cursor(), rep(2, 10, 10), rules, elapsed_ms=60_000, furthest_ms=0).cursor
    cases = {
        "replayed": rep(2, 10, 10),
        "out_of_order": rep(1, 5, 5),
        "future": rep(3, 3600, 15),
        "beyond_length": rep(3, 15, 120),
        "bad_state": rep(3, 15, 15, "rewinding"),
    }
    for reason, report in cases.items():
        s = step(base, report, rules, elapsed_ms=60_000, furthest_ms=10_000)
        assert (s.accepted, s.reason, s.segment) == (False, reason, None), reason
        assert s.cursor == base  # nothing moved
    clock_back = step(base, rep(3, 9, 12), rules, elapsed_ms=60_000, furthest_ms=10_000)
    assert clock_back.reason == "out_of_order"


def test_seeking_past_the_furthest_point_can_be_forbidden():
    rules = Rules(duration_ms=10 * MIN, forbid_seek_ahead=True)
    _intervals, steps = run([rep(1, 0, 0), rep(2, 10, 10), rep(3, 11, 200)], rules=rules)
    assert steps[2].reason == "seek_forbidden" and steps[2].cursor.pos_ms == 10_000
    # seeking back stays free
    _, back = run([rep(1, 0, 0), rep(2, 10, 10), rep(3, 11, 2)], rules=rules)
    assert back[2].accepted


def test_intervals_merge():
    assert add_interval([[0, 10], [20, 30]], 10, 20) == [[0, 30]]
    assert add_interval([[0, 10], [40, 50]], 20, 30) == [[0, 10], [20, 30], [40, 50]]
    assert add_interval([[5, 10]], 0, 3) == [[0, 3], [5, 10]]
    assert add_interval([[0, 10]], 2, 8) == [[0, 10]]
    assert add_interval([[0, 10]], 8, 2) == [[0, 10]]


def test_the_first_and_last_frames_are_not_lost():
    # given a 4 s video that the browser starts at 11 ms and reports ended at 3.98 s
    rules = Rules(duration_ms=4000)
    intervals, _ = run([rep(1, 0, 0.011), rep(2, 3.5, 3.98, "ended")], rules=rules)
    assert intervals == [[0, 4000]]
    # but a pause near the end is not an end
    intervals, _ = run([rep(1, 0, 0.011), rep(2, 3.5, 3.5, "paused")], rules=rules)
    assert intervals == [[0, 3500]]
