"""Self-selection race (自主选学): N trainees pick one session of C seats at the same moment.

A new PostgreSQL database is migrated and given, not timed: a county of 10 townships, N cadres
each with a trainee account, one program and one self-selectable session of C seats. Then
``--threads`` worker threads (each with its own database connection) are released together by
a barrier and call ``seat_pick`` for their share of the trainees, all at once. Checked: exactly
C seats enrolled (never C+1), the rest waitlisted, and the waitlist in request order (seat ids,
handed out under the session's row lock, rise with the request times). Then ``--cancel``
enrolled trainees cancel at once, and exactly as many of the oldest waitlisted are promoted.
Reported: wall time, picks per second, p50/p99 latency of a pick.

    .venv/bin/python bench/bench_seat_race.py --postgres postgres://postgres@127.0.0.1:5432
        [--trainees 500] [--seats 100] [--threads 40] [--cancel 20]

(PostgreSQL only: SQLite has no row locks and serialises every writer anyway.)
"""

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
GANXUN = str(ROOT / ".venv" / "bin" / "ganxun")
DATABASE = "ganxun_bench_seat_race"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True, help="server URL, no db name")
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--cancel", type=int, default=20)
    args = parser.parse_args()
    host = urlparse(args.postgres).hostname or "127.0.0.1"
    with tempfile.TemporaryDirectory(prefix="ganxun-bench-seats-") as data_dir:
        os.environ["GANXUN_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "ganxun.config.settings.dev"
        subprocess.run(["dropdb", "--if-exists", "-h", host, "-U", "postgres", DATABASE])
        subprocess.run(["createdb", "-h", host, "-U", "postgres", DATABASE], check=True)
        os.environ["DATABASE_URL"] = args.postgres.rstrip("/") + "/" + DATABASE
        try:
            subprocess.run([GANXUN, "migrate", "-v0"], check=True, env=os.environ)
            ok = run(args)
        finally:
            from django.db import connections

            connections.close_all()  # dropdb refuses while this process is connected
            subprocess.run(["dropdb", "-h", host, "-U", "postgres", DATABASE], check=True)
    sys.exit(0 if ok else 1)


def run(args) -> bool:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from ganxun.core.scoping import unscoped

    with unscoped():
        session, users = build(args.trainees, args.seats)
    print(
        f"database: {connection.vendor}; {args.trainees} trainees, {args.seats} seats, "
        f"{args.threads} threads"
    )
    picks, wall = race(session, users, args.threads)
    ok = check_picks(session, args.seats, picks, wall)
    if args.cancel:
        ok = check_cancellations(session, users, args.cancel, args.threads) and ok
    print("RESULT:", "PASS" if ok else "FAIL")
    return ok


def build(n: int, seats: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.services import _insert_org
    from ganxun.programs.models import Program, Session

    city = _insert_org(parent=None, code="S0", name="基准市", level="city")
    county = _insert_org(parent=city, code="S1", name="基准县", level="county")
    towns = [
        _insert_org(parent=county, code=f"S1{i:03d}", name=f"基准镇{i}", level="township")
        for i in range(10)
    ]
    cadres = []
    for i in range(n):
        born = date(1970 + i // 300 % 30, 1 + i // 28 % 12, 1 + i % 28)
        idn = make_id_number(f"{330201 + i // 999:06d}", born, i % 999 + 1)
        cadres.append(
            Cadre(
                name=f"学员{i}",
                gender="M",
                id_number=idn,
                id_tail=idn[-4:],
                birth_date=born,
                unit=towns[i % 10],
                rank="general",
            )
        )
    Cadre._base_manager.bulk_create(cadres, batch_size=500)
    cadres = list(Cadre._base_manager.order_by("pk"))
    password = make_password(None)  # unusable: nobody signs in, the service gets the user
    users = User.objects.bulk_create(
        [
            User(username=f"t{i}", org=c.unit, cadre=c, password=password)
            for i, c in enumerate(cadres)
        ]
    )
    users = list(User.objects.filter(username__startswith="t").order_by("pk"))
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.TRAINEE) for u in users])
    organizer = User.objects.create(username="org", org=county, password=password)
    RoleGrant.objects.create(user=organizer, role=Role.ORGANIZER)
    today = timezone.localdate()
    program = Program._base_manager.create(
        org=county,
        name="自主选学",
        start_date=today,
        end_date=today + timedelta(days=60),
        created_by=organizer,
        status=Program.Status.OPEN,
    )
    start = timezone.now() + timedelta(days=7)
    session = Session._base_manager.create(
        program=program,
        title="热门选学课",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        self_selectable=True,
        capacity=seats,
    )
    return session, users


def _in_threads(calls, threads: int):
    """Run ``calls`` on ``threads`` workers released together; (outcome, seconds) per call."""
    from django.db import connections

    from ganxun.enrollment.errors import EnrollmentError

    shares = [calls[i::threads] for i in range(threads)]
    gate = threading.Barrier(threads + 1)
    results, lock = [], threading.Lock()

    def worker(mine):
        gate.wait()
        out = []
        try:
            for call in mine:
                t0 = time.perf_counter()
                try:
                    outcome = call().status
                except EnrollmentError as exc:
                    outcome = exc.code
                except Exception as exc:
                    outcome = f"error:{type(exc).__name__}"
                out.append((outcome, time.perf_counter() - t0))
        finally:
            connections.close_all()
        with lock:
            results.extend(out)

    pool = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for t in pool:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    return results, time.perf_counter() - t0


def race(session, users, threads: int):
    from ganxun.enrollment.services import seat_pick

    # Warm the users' role caches outside the timed part (one query each otherwise).
    for u in users:
        _ = u.roles
    return _in_threads([lambda u=u: seat_pick(actor=u, session=session) for u in users], threads)


def _latency(results) -> str:
    ms = sorted(s * 1000 for _, s in results)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms"


def check_picks(session, seats: int, results, wall: float) -> bool:
    from collections import Counter

    from ganxun.enrollment.models import Seat

    outcomes = Counter(o for o, _ in results)
    rows = list(Seat._base_manager.filter(session=session).order_by("id"))
    statuses = [s.status for s in rows]
    in_order = all(a.requested_at <= b.requested_at for a, b in itertools.pairwise(rows))
    enrolled = statuses.count("enrolled")
    ok = (
        enrolled == seats
        and statuses == ["enrolled"] * seats + ["waitlisted"] * (len(rows) - seats)
        and len(rows) == len(results)
        and in_order
    )
    print(
        f"picks: {dict(outcomes)} in {wall:.2f} s = {len(results) / wall:.0f} picks/s; "
        f"{_latency(results)}"
    )
    print(
        f"rows: {len(rows)} seats, {enrolled} enrolled, {statuses.count('waitlisted')} "
        f"waitlisted; first {seats} ids enrolled and waitlist in request order: {ok}"
    )
    return ok


def check_cancellations(session, users, n: int, threads: int) -> bool:
    from ganxun.enrollment.models import Seat
    from ganxun.enrollment.services import seat_cancel

    rows = list(Seat._base_manager.filter(session=session).order_by("id"))
    enrolled = [s for s in rows if s.status == "enrolled"][:n]
    next_up = {s.pk for s in rows if s.status == "waitlisted"}
    next_up = set(sorted(next_up)[:n])
    by_cadre = {u.cadre_id: u for u in users}
    calls = [lambda s=s: seat_cancel(actor=by_cadre[s.cadre_id], seat=s) for s in enrolled]
    results, wall = _in_threads(calls, min(threads, n))
    after = {s.pk: s.status for s in Seat._base_manager.filter(session=session)}
    promoted = {pk for pk in next_up if after[pk] == "enrolled"}
    total = sum(1 for st in after.values() if st == "enrolled")
    ok = promoted == next_up and total == session.capacity
    print(
        f"cancellations: {n} at once in {wall:.2f} s ({_latency(results)}); "
        f"the {n} oldest waitlisted promoted: {promoted == next_up}; enrolled now {total}"
    )
    return ok


if __name__ == "__main__":
    main()
