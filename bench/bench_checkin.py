"""Check-in under load: a burst of 5,000 trainees on PostgreSQL behind gunicorn, and the
check-in endpoint's throughput against a trivial authenticated endpoint in the same run.

Not timed: a fresh PostgreSQL database is migrated and given a county, an organizer with an
API token, one program with 5,000 trainees and sessions happening now. Then gunicorn serves
the app (sync workers, DEBUG off, persistent connections) and a load generator — several
processes × threads, stdlib ``http.client``, one TCP connection per request as a sync worker
closes it — sends:

1. **burst**: every trainee of session 1 once and 20 % of them twice (6,000 requests in a
   random order) from ``--clients`` concurrent clients, as fast as they go. Checked: every
   answer 200 (``checked_in`` 5,000, ``already_checked_in`` 1,000), no 5xx, exactly 5,000
   rows, every trainee present, and the whole burst inside 60 s.
2. **throughput**: alternating windows of ``--seconds`` s of ``GET /api/ping`` (token auth,
   answers the user name) and of ``POST /api/checkin`` (token auth, one new attendance row
   each: fresh (session, trainee) pairs across the other sessions), ``--rounds`` of each;
   req/s and p50/p99 latency per endpoint, and the ratio of the medians (target ≥ 0.5).

The load generator, gunicorn and PostgreSQL share the machine's cores.

    .venv/bin/python bench/bench_checkin.py --postgres postgres://postgres@127.0.0.1:5432
        [--workers 4] [--clients 32] [--seconds 10] [--rounds 3]
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
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
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE = "ganxun_bench_checkin"
PORT = 8765
TRAINEES = 5_000
TWICE = 0.20
SESSIONS = 12  # session 1 for the burst, the others give fresh rows to the throughput windows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True, help="server URL, no db")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="one throughput window")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    host = urlparse(args.postgres).hostname or "127.0.0.1"
    with tempfile.TemporaryDirectory(prefix="ganxun-bench-checkin-") as data_dir:
        env = {
            **os.environ,
            "GANXUN_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev",
            "GANXUN_DEBUG": "false",
            "DATABASE_URL": args.postgres.rstrip("/") + "/" + DATABASE,
        }
        os.environ.update(env)
        subprocess.run(
            ["dropdb", "--if-exists", "-h", host, "-U", "postgres", DATABASE], check=True
        )
        subprocess.run(["createdb", "-h", host, "-U", "postgres", DATABASE], check=True)
        server = None
        try:
            subprocess.run([GANXUN, "migrate", "-v0"], check=True, env=env)
            world = build()
            server = start_server(env, args.workers)
            burst = run_burst(world, args.clients)
            verify_burst(world, burst)
            windows = run_windows(world, args)
            report(args, world, burst, windows)
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "-h", host, "-U", "postgres", DATABASE], check=True)


# --- the data ----------------------------------------------------------------------------------


def build() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from ganxun.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.services import _insert_org
    from ganxun.programs.models import Program, ProgramTrainee, Session, Venue

    started = time.perf_counter()
    with unscoped():
        city = _insert_org(parent=None, code="C0", name="基准市", level="city")
        county = _insert_org(parent=city, code="C1", name="基准县", level="county")
        units = [
            _insert_org(parent=county, code=f"C1{i:03d}", name=f"基准镇{i}", level="township")
            for i in range(50)
        ]
        cadres = []
        for i in range(TRAINEES):
            born = date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
            number = make_id_number(f"{330201 + i // 999:06d}", born, i % 999 + 1)
            cadres.append(
                Cadre(
                    name=f"学员{i}",
                    gender="M",
                    id_number=number,
                    id_tail=number[-4:],
                    birth_date=born,
                    unit=units[i % len(units)],
                    rank="general",
                )
            )
        Cadre._base_manager.bulk_create(cadres, batch_size=1000)
        cadre_ids = list(Cadre._base_manager.values_list("pk", flat=True))
        organizer = User.objects.create(username="bench", org=county, display_name="教务")
        RoleGrant.objects.create(user=organizer, role=Role.ORGANIZER)
        raw = ApiToken.new_raw_key()
        ApiToken.objects.create(
            user=organizer, name="签到机", prefix=raw[:8], key_hash=hash_token(raw)
        )
        hall = Venue._base_manager.create(owner=county, name="主课堂", capacity=6000)
        today = timezone.localdate()
        program = Program._base_manager.create(
            org=county,
            name="基准班",
            start_date=today,
            end_date=today + timedelta(days=30),
            created_by=organizer,
            main_venue=hall,
        )
        ProgramTrainee._base_manager.bulk_create(
            [ProgramTrainee(program=program, cadre_id=c) for c in cadre_ids], batch_size=2000
        )
        start = timezone.now() - timedelta(minutes=5)
        sessions = [
            Session._base_manager.create(
                program=program,
                title=f"基准课次{n}",
                starts_at=start,
                ends_at=start + timedelta(hours=4),
                main_venue=hall,
            ).pk
            for n in range(SESSIONS)
        ]
    print(
        f"built {TRAINEES} trainees, {SESSIONS} sessions in {time.perf_counter() - started:.1f} s"
    )
    return {"token": raw, "cadres": cadre_ids, "sessions": sessions, "hall": hall.pk}


def start_server(env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "ganxun.config.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            status, _body, _t = request("GET", "/api/ping", None, "none")
            if status == 401:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


# --- the load generator -----------------------------------------------------------------------


def request(method: str, path: str, body: dict | None, token: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        conn.request(method, path, payload, headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    finally:
        conn.close()


def _client_process(job: dict) -> dict:
    """One generator process: ``threads`` clients; either a list of check-ins (burst) or
    ``seconds`` of one endpoint."""
    results = {"codes": {}, "statuses": {}, "latencies": [], "errors": 0, "requests": 0}
    lock = threading.Lock()
    items = list(job.get("items", []))
    deadline = time.perf_counter() + job.get("seconds", 1e9)

    def next_item():
        with lock:
            return items.pop() if items else None

    def record(status, data, seconds):
        with lock:
            results["requests"] += 1
            results["codes"][status] = results["codes"].get(status, 0) + 1
            results["latencies"].append(seconds)
            if job["kind"] == "checkin" and status == 200:
                key = json.loads(data)["status"]
                results["statuses"][key] = results["statuses"].get(key, 0) + 1

    def client():
        while time.perf_counter() < deadline:
            if job["kind"] == "ping":
                call = ("GET", "/api/ping", None)
            else:
                item = next_item()
                if item is None:
                    return
                call = ("POST", "/api/checkin", {"session": item[0], "cadre": item[1]})
            try:
                record(*request(*call, job["token"]))
            except OSError:
                with lock:
                    results["errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(job["threads"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


PROCESSES = 4  # generator processes (each with clients/PROCESSES threads): the GIL would cap one


def run_load(kind: str, token: str, clients: int, items=None, seconds=None) -> dict:
    jobs = []
    for p in range(PROCESSES):
        job = {"kind": kind, "token": token, "threads": max(1, clients // PROCESSES)}
        if items is not None:
            job["items"] = items[p::PROCESSES]
        if seconds is not None:
            job["seconds"] = seconds
        jobs.append(job)
    started = time.perf_counter()
    with multiprocessing.Pool(PROCESSES) as pool:
        parts = pool.map(_client_process, jobs)
    elapsed = time.perf_counter() - started
    merged = {"codes": {}, "statuses": {}, "latencies": [], "errors": 0, "requests": 0}
    for part in parts:
        merged["requests"] += part["requests"]
        merged["errors"] += part["errors"]
        merged["latencies"] += part["latencies"]
        for field in ("codes", "statuses"):
            for k, v in part[field].items():
                merged[field][k] = merged[field].get(k, 0) + v
    merged["seconds"] = elapsed
    merged["rps"] = merged["requests"] / elapsed
    return merged


def run_burst(world: dict, clients: int) -> dict:
    rng = random.Random(7)
    session = world["sessions"][0]
    cadres = world["cadres"]
    twice = rng.sample(cadres, int(len(cadres) * TWICE))
    items = [(session, c) for c in cadres + twice]
    rng.shuffle(items)
    print(f"burst: {len(items)} requests from {clients} clients …")
    return run_load("checkin", world["token"], clients, items=items)


def verify_burst(world: dict, burst: dict) -> None:
    from ganxun.checkin.models import Attendance

    rows = Attendance._base_manager.filter(session_id=world["sessions"][0])
    burst["rows"] = rows.count()
    burst["distinct"] = rows.values("cadre_id").distinct().count()
    burst["missing"] = len(set(world["cadres"]) - set(rows.values_list("cadre_id", flat=True)))


def run_windows(world: dict, args) -> dict:
    """Alternate ping and check-in windows so both see the same machine weather."""
    fresh = [(s, c) for s in world["sessions"][1:] for c in world["cadres"]]
    random.Random(11).shuffle(fresh)
    out = {"ping": [], "checkin": []}
    for n in range(args.rounds):
        ping = run_load("ping", world["token"], args.clients, seconds=args.seconds)
        out["ping"].append(ping)
        # Hand every window more fresh pairs than it can use; it stops at the deadline.
        budget = int(ping["rps"] * args.seconds * 1.5) + 2000
        batch, fresh = fresh[:budget], fresh[budget:]
        check = run_load("checkin", world["token"], args.clients, items=batch, seconds=args.seconds)
        out["checkin"].append(check)
        print(
            f"round {n + 1}: ping {ping['rps']:.0f} req/s, checkin {check['rps']:.0f} req/s"
            f" (statuses {check['statuses']}, codes {check['codes']})"
        )
    return out


# --- the report --------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def report(args, world, burst, windows) -> None:
    five_xx = sum(v for k, v in burst["codes"].items() if k >= 500)
    print()
    print(f"## burst ({TRAINEES} trainees, {int(TRAINEES * TWICE)} twice, {args.clients} clients)")
    print(f"requests {burst['requests']} in {burst['seconds']:.1f} s ({burst['rps']:.0f} req/s)")
    print(
        f"HTTP codes {burst['codes']}; statuses {burst['statuses']};"
        f" socket errors {burst['errors']}"
    )
    print(
        f"rows {burst['rows']} (distinct trainees {burst['distinct']}, missing {burst['missing']});"
        f" 5xx {five_xx}; p50 {pct(burst['latencies'], 0.5):.1f} ms,"
        f" p99 {pct(burst['latencies'], 0.99):.1f} ms"
    )
    ok = (
        burst["rows"] == TRAINEES
        and burst["missing"] == 0
        and five_xx == 0
        and burst["errors"] == 0
        and burst["codes"].get(200, 0) == burst["requests"]
        and burst["seconds"] <= 60
    )
    print("burst:", "PASS" if ok else "FAIL")
    print()
    print(
        f"## throughput ({args.workers} sync workers, {args.clients} clients,"
        f" {args.rounds}×{args.seconds:.0f} s)"
    )
    med = {}
    for kind in ("ping", "checkin"):
        runs = windows[kind]
        rps = [r["rps"] for r in runs]
        lat = [x for r in runs for x in r["latencies"]]
        bad = sum(v for r in runs for k, v in r["codes"].items() if k != 200)
        med[kind] = statistics.median(rps)
        print(
            f"{kind:8s} req/s median {med[kind]:.0f} (min {min(rps):.0f}, max {max(rps):.0f});"
            f" p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms; non-200 {bad}"
        )
    ratio = med["checkin"] / med["ping"] if med["ping"] else 0
    print(f"ratio checkin/ping {ratio:.2f} (target ≥ 0.5):", "PASS" if ratio >= 0.5 else "FAIL")


if __name__ == "__main__":
    main()
