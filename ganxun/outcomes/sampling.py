"""The follow-up sample (调研抽样), pure: no database.

Stratified by unit with proportional allocation: a unit with n trainees gives
``max(1, round_half_up(n × share))`` of them (never more than n), so small units are not left
out — every unit with trainees is visited at least once. Within a unit the people are drawn with
a generator seeded by (seed, unit), so the same seed and the same trainee list always give the
same sample, and adding a unit does not reshuffle the others.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def unit_quota(n: int, share: Decimal) -> int:
    if n <= 0:
        return 0
    wanted = (Decimal(n) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(n, max(1, int(wanted)))


def stratified_sample(
    trainees: Iterable[tuple[int, int]], share: Decimal, seed: int
) -> list[tuple[int, int]]:
    """``trainees`` are (cadre_id, unit_id) pairs; returns the chosen pairs, by unit then cadre."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    for cadre_id, unit_id in trainees:
        by_unit[unit_id].append(cadre_id)
    chosen: list[tuple[int, int]] = []
    for unit_id in sorted(by_unit):
        people = sorted(set(by_unit[unit_id]))
        rng = random.Random(f"{seed}:{unit_id}")
        picked = rng.sample(people, unit_quota(len(people), share))
        chosen.extend((cadre_id, unit_id) for cadre_id in sorted(picked))
    return chosen
