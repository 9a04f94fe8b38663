"""Roster import (the commit job) on the embedded SQLite setup, while people use the site.

Given, not timed: a fresh SQLite database in a temporary folder (WAL, as ``make run``), the
910-unit tree of ``gen_roster.py`` and its categories, an administrator at the city (whose
session the clients use) and a second staff account for logins, and a generated 花名册 of N new
people (``gen_roster.write``). The task worker (``ganxun worker``) and the web server
(``ganxun runserver``, as ``make run``) run as separate processes.

Timed: a commit job for the whole file, queued when seeding (as the 导入 button queues it after a
preview), run by the worker started at that moment (its start-up counts in the job's time);
while it runs, ``--clients`` threads keep requesting signed-in pages (the home page, the roster
list, the job's progress partial), one thread signs the other staff member in every 2 s (a write:
session, audit entry, last login), and a probe takes SQLite's write lock (``BEGIN IMMEDIATE``)
every 50 ms and records how long it waited for it: the longest wait is the longest time one of
the job's write transactions kept every other writer out. Reported: the job's wall time, when
the progress bar first moved, the longest and p95 wait for the write lock, page p50/p95/max and
errors during the job (any answer other than 200/302), and the same pages' p95 before the job.

    .venv/bin/python bench/bench_roster_import.py [--rows 30000] [--clients 4] [--json]
        [--baseline-seconds 10] [--port 8133]
"""

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_accounts import (  # noqa: E402
    PASSWORD,
    Browser,
    SiteLoad,
    _cpu_seconds,
    _p95,
    _wait_for,
)
from bench.harness import embedded_env, ganxun_cli, print_result  # noqa: E402

BIN = Path(sys.executable).parent


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8133)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-roster-import-") as data_dir:
        result = run(args, Path(data_dir))
    print_result(result, args.json)
    return result


def run(args, data_dir: Path) -> dict:
    env = embedded_env(data_dir)
    ganxun = ganxun_cli()
    subprocess.run([*ganxun, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    from bench.gen_roster import write

    roster = write(data_dir / "roster.xlsx", args.rows)
    seeded = subprocess.run(
        [str(BIN / "python"), __file__, "--seed", str(roster)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    job_id = seeded.stdout.strip().splitlines()[-1]
    logs = data_dir / "logs"
    logs.mkdir()
    server = subprocess.Popen(
        [*ganxun, "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=(logs / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    processes = [server]

    def start_worker() -> int:
        """The worker starts when the measurement does: the job was queued at seeding."""
        worker = subprocess.Popen(
            [*ganxun, "worker", "--queue-name", "default", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=(logs / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        return worker.pid

    try:
        _wait_for(args.port)
        return measure(args, data_dir / "ganxun.sqlite3", job_id, start_worker)
    finally:
        for proc in processes:
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def measure(args, db_path: Path, job_id: str, start_worker) -> dict:
    admin = Browser(args.port)
    status, _ = admin.login("bench_admin")
    assert status == 302, f"login answered {status}"
    waits: list[float] = []

    def probe() -> None:
        """How long a writer waits for SQLite's write lock, every 50 ms."""
        db = sqlite3.connect(db_path, timeout=60, isolation_level=None)
        try:
            while not load.stop.wait(0.05):
                started = time.monotonic()
                db.execute("BEGIN IMMEDIATE")
                waited = time.monotonic() - started
                db.execute("ROLLBACK")
                with load.lock:
                    waits.append(waited)
        finally:
            db.close()

    load = SiteLoad(args.port, admin.cookies, ["/", "/cadres/"], args.clients, extra=[probe])
    # the baseline: the same clients with no job running
    baseline, baseline_errors = load.baseline(args.baseline_seconds)
    waits.clear()

    # the clients and the probe run from the worker's start until the job has ended
    load.pages.append(f"/jobs/{job_id}/")
    load.start()
    started = time.monotonic()
    worker_pid = start_worker()
    running = None
    first_progress = None
    job = {}
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        while time.monotonic() - started < args.timeout:
            row = db.execute(
                "SELECT status, done, total, message FROM core_job WHERE id = ?",
                (job_id.replace("-", ""),),
            ).fetchone()
            if row:
                job = dict(zip(("status", "done", "total", "message"), row, strict=True))
                if running is None and job["status"] != "queued":
                    running = time.monotonic() - started
                if first_progress is None and job["done"] > 0:
                    first_progress = time.monotonic() - started
                if job["status"] in ("succeeded", "failed"):
                    break
            time.sleep(0.1)
    finally:
        elapsed = time.monotonic() - started
        worker_cpu = _cpu_seconds(worker_pid)
        samples = load.finish()
        db.close()
    during = [s for _, st, s in samples]
    errors = [(p, st) for p, st, _ in samples if st not in (200, 302)]
    return {
        "rows": args.rows,
        "job_status": job.get("status"),
        "job_message": job.get("message"),
        "job_seconds": round(elapsed, 1),
        "job_worker_cpu_seconds": round(worker_cpu, 1),
        "load_average": os.getloadavg()[0],
        "job_running_after_seconds": round(running, 1) if running else None,
        "job_run_seconds": round(elapsed - running, 1) if running else None,
        "first_progress_seconds": round(first_progress, 2) if first_progress else None,
        "write_lock_wait_max_ms": round(max(waits) * 1000) if waits else None,
        "write_lock_wait_p95_ms": round(_p95(waits) * 1000) if waits else None,
        "write_lock_probes": len(waits),
        "requests_during_job": len(samples),
        "errors_during_job": len(errors),
        "error_samples": errors[:5],
        "page_p50_ms": round(statistics.median(during) * 1000) if during else None,
        "page_p95_ms": round(_p95(during) * 1000) if during else None,
        "page_max_ms": round(max(during) * 1000) if during else None,
        "idle_page_p95_ms": round(_p95(baseline) * 1000) if baseline else None,
        "idle_requests": len(baseline),
        "idle_errors": baseline_errors,
    }


def _django():
    import django

    django.setup()


def seed(path: Path) -> None:
    """The unit tree and categories of gen_roster.py, an administrator and a staff member, and
    the commit job for the whole file, queued as the 导入 button queues it (printed: its id)."""
    _django()
    from django.db import transaction

    from bench.gen_roster import CATEGORIES, ROOT_CODE, ROOT_NAME, unit_tree
    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.core.jobs import job_start
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import CadreCategory
    from ganxun.orgs.roster.jobs import COMMIT
    from ganxun.orgs.services import _insert_org

    with unscoped():
        root = _insert_org(parent=None, code=ROOT_CODE, name=ROOT_NAME, level="city")
        by_code = {ROOT_CODE: root}
        for code, name, level, parent in unit_tree():
            by_code[code] = _insert_org(parent=by_code[parent], code=code, name=name, level=level)
        for code, name in CATEGORIES:
            CadreCategory.objects.get_or_create(code=code, defaults={"name": name})
        for username, role in (("bench_admin", Role.ADMIN), ("bench_staff", Role.ORGANIZER)):
            user = User(username=username, display_name=username, org=root)
            user.set_password(PASSWORD)
            user.save()
            RoleGrant.objects.create(user=user, role=role)
    admin = User.objects.get(username="bench_admin")
    params = {"file": str(path), "filename": path.name, "root": root.pk}
    params["create_units_under"] = None
    with transaction.atomic():
        job = job_start(actor=admin, kind=COMMIT, title="导入名册", params=params)
    print(job.pk)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed(Path(sys.argv[2]))
    else:
        main()
