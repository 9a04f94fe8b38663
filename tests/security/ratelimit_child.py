"""One app process of tests/security/test_shared_ratelimits.py: counts hits of one shared limit.

Run as ``python -m tests.security.ratelimit_child DIR NAME HITS SCOPE RATE`` with the same
DATABASE_URL / REDIS_URL as its sibling. The two processes start together (files in DIR act
as a barrier), each counts HITS requests, then each makes one more, then each reads the total.
"""

import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

NOW = 1_800_000_000.0 + 100  # both processes in the same window, whatever the wall clock


def barrier(folder: Path, stage: str, name: str, parties: int = 2) -> None:
    (folder / f"{stage}-{name}").touch()
    deadline = time.monotonic() + 60
    while len(list(folder.glob(f"{stage}-*"))) < parties:
        if time.monotonic() > deadline:
            raise SystemExit(f"the other process never reached {stage}")
        time.sleep(0.005)


def main(folder: str, name: str, hits: str, scope: str, rate: str) -> None:
    import django

    django.setup()
    from ganxun.core import ratelimit

    ratelimit.time = SimpleNamespace(time=lambda: NOW)  # type: ignore[assignment]
    where = Path(folder)
    barrier(where, "ready", name)
    allowed = sum(ratelimit.hit(scope, "one-address", rate)[0] for _ in range(int(hits)))
    barrier(where, "counted", name)
    one_more = ratelimit.hit(scope, "one-address", rate)[0]
    barrier(where, "extra", name)
    total = ratelimit.seen(scope, "one-address", rate)
    print(json.dumps({"allowed": allowed, "one_more_allowed": one_more, "total": total}))


if __name__ == "__main__":
    main(*sys.argv[1:])
