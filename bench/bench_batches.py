"""Batch solver benchmark: staggered batches for 10,000 people in 500 units and 50,000 in 2,000.

No database: the pure solver (``ganxun.programs.batching``), as ``ganxun solve-batches --input``
runs it. Instances are generated with a fixed seed like perf-anchors §6: units of at least 5,
sizes random (≈ 20 on average for 10,000/500, ≈ 25 for 50,000/2,000), each with one secretary
and one head; the roster headcount equals the trainees (every cadre of a unit takes part,
Ningbo's case, the strictest for the on-duty rule). Cases:

  balanced   2 batches, 40 % on duty, capacity n/2 + 100 each       (targets: 10k < 10 s optimal;
  tight      2 batches, 40 % on duty, capacity 55 % / 46 %            50k < 60 s feasible)
  three      3 batches, 50 % on duty, no capacity
  infeasible 2 batches, 40 % on duty, capacities 2 short in total: must be *proven* impossible
  leaders    2 batches, batch 1 has fewer seats than the units that need a leader there
             (only the solver's core finds it)

Times are wall time of ``batching.solve`` (model building, pre-checks and assignment included),
median of --runs, one worker (the anchors found more workers no faster on 2 cores).

    .venv/bin/python bench/bench_batches.py [--runs 3] [--only 10000]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ganxun.programs.batching import Person, make_instance, solve  # noqa: E402

SIZES = [(10_000, 500), (50_000, 2_000)]


def people(n: int, units: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    sizes = [5] * units
    for _ in range(n - 5 * units):
        sizes[rng.randrange(units)] += 1
    out = []
    for u, size in enumerate(sizes):
        for i in range(size):
            role = "secretary" if i == 0 else "head" if i == 1 else "member"
            out.append(Person(f"p{u}-{i}", f"单位{u}", role))
    return out


def cases(n: int, units: int) -> dict:
    ppl = people(n, units)
    half = n // 2
    return {
        "balanced": make_instance(ppl, batches=2, min_on_duty=0.4, capacity=[half + 100] * 2),
        "tight": make_instance(
            ppl, batches=2, min_on_duty=0.4, capacity=[int(n * 0.55), int(n * 0.46)]
        ),
        "three": make_instance(ppl, batches=3, min_on_duty=0.5),
        "infeasible": make_instance(ppl, batches=2, min_on_duty=0.4, capacity=[half - 1] * 2),
        "leaders": make_instance(
            ppl, batches=2, min_on_duty=0.0, capacity=[units - 1, n], unit_sizes=_double(ppl)
        ),
    }


def _double(ppl: list[Person]) -> dict[str, int]:
    """Headcounts twice the trainees: the on-duty rule never bites, only the leaders do."""
    sizes: dict[str, int] = {}
    for p in ppl:
        sizes[p.unit] = sizes.get(p.unit, 0) + 2
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", type=int, help="only this many people (10000 or 50000)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print("| people | units | case | status | sizes | wall time, median (min–max) |")
    print("|---|---|---|---|---|---|")
    for n, units in SIZES:
        if args.only and n != args.only:
            continue
        for name, inst in cases(n, units).items():
            times, result = [], None
            for _ in range(args.runs):
                started = time.perf_counter()
                result = solve(inst, time_limit=args.time_limit, workers=1, seed=0)
                times.append(time.perf_counter() - started)
            sizes = "/".join(str(s) for s in result.sizes) or "—"
            spread = f"{min(times):.2f}–{max(times):.2f}"
            print(
                f"| {n:,} | {units:,} | {name} | {result.status} | {sizes} | "
                f"**{statistics.median(times):.2f} s** ({spread}) |",
                flush=True,
            )
            if result.reasons:
                print(f"|  |  |  | ↳ {result.reasons[0][:90]} |  |  |", flush=True)


if __name__ == "__main__":
    main()
