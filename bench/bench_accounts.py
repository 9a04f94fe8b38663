"""Bulk trainee accounts on the embedded SQLite setup, while people use the site.

Given, not timed: a fresh SQLite database in a temporary folder (WAL, as ``make run``), a city
with N active cadres without accounts, a unit contact at the city (and a second staff account
for logins). The task worker (``ganxun worker``) and the web server (``ganxun runserver``, as
``make run``) are started as separate processes.

Timed: the contact signs in and posts 批量开通学员账号 for the whole city; while the job runs,
``--clients`` threads keep requesting signed-in pages (the home page, the job's progress partial,
the roster list) and one thread signs the other staff member in every 2 s (a write: session, audit
entry, last login). Reported: the job's wall time, when the progress bar first moved, page
p50/p95/max and errors during the job (any answer other than 200/302), and the same pages'
p95 before the job (the idle baseline).

    .venv/bin/python bench/bench_accounts.py [--cadres 50000] [--clients 4] [--json]
        [--baseline-seconds 15] [--port 8131]
"""

import argparse
import http.client
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import embedded_env, ganxun_cli, print_result  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "Bench#Pass2026"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=50000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-accounts-") as data_dir:
        result = run(args, Path(data_dir))
    print_result(result, args.json)
    return result


def run(args, data_dir: Path) -> dict:
    env = embedded_env(data_dir)
    ganxun = ganxun_cli()
    subprocess.run([*ganxun, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    t0 = time.monotonic()
    subprocess.run(
        [str(BIN / "python"), __file__, "--seed", str(args.cadres)], check=True, env=env, cwd=ROOT
    )
    seed_seconds = time.monotonic() - t0
    logs = data_dir / "logs"
    logs.mkdir()
    worker = subprocess.Popen(
        [*ganxun, "worker", "--queue-name", "default", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(
        [*ganxun, "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=(logs / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(args.port)
        return measure(args, data_dir / "ganxun.sqlite3", seed_seconds, worker.pid)
    finally:
        for proc in (server, worker):
            proc.terminate()
        for proc in (server, worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


class Browser:
    """A signed-in person: cookies kept, CSRF token sent with posts."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        head.update(headers or {})
        data = None
        if body is not None:
            body = {**body, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            data = urlencode(body)
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.monotonic()
        conn.request(method, path, body=data, headers=head)
        response = conn.getresponse()
        content = response.read()
        seconds = time.monotonic() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location") or "", content, seconds

    def login(self, username: str) -> tuple[int, float]:
        self.cookies.clear()
        self.request("GET", "/accounts/login/")
        status, _, _, seconds = self.request(
            "POST", "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        return status, seconds


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux): on a shared box, the comparable figure."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SiteLoad:
    """People using the site while a job runs: ``clients`` signed-in browsers (the given session
    cookies) cycling through ``pages`` (read at each request, so a page appended while they run
    is visited too), a second staff member signing in every 2 s (a write), and any ``extra``
    callables, each in its own thread until ``stop`` is set. Samples are (path, status,
    seconds)."""

    def __init__(self, port: int, cookies: dict, pages: list[str], clients: int, extra=()):
        self.port, self.cookies, self.pages, self.clients = port, cookies, pages, clients
        self.extra = list(extra)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.samples: list[tuple[str, int, float]] = []
        self._threads: list[threading.Thread] = []

    def _record(self, path: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((path, status, seconds))

    def _browse(self, n: int) -> None:
        me = Browser(self.port)
        me.cookies = dict(self.cookies)
        i = n
        while not self.stop.is_set():
            path = self.pages[i % len(self.pages)]
            i += 1
            hx = {"HX-Request": "true"} if path.startswith("/jobs/") else {}
            try:
                status, _, _, seconds = me.request("GET", path, headers=hx)
            except OSError as exc:
                status, seconds = 0, 0.0
                print("request failed:", exc, file=sys.stderr)
            self._record(path, status, seconds)

    def _log_in_and_out(self) -> None:
        other = Browser(self.port)
        while not self.stop.wait(2):
            status, seconds = other.login("bench_staff")
            self._record("POST /accounts/login/", status, seconds)

    def start(self) -> None:
        targets = [(self._browse, (n,)) for n in range(self.clients)]
        targets += [(self._log_in_and_out, ())] + [(f, ()) for f in self.extra]
        self._threads = [threading.Thread(target=f, args=a) for f, a in targets]
        for t in self._threads:
            t.start()

    def finish(self) -> list[tuple[str, int, float]]:
        """Stop everyone; hand back the samples, keeping a fresh list for the next start."""
        self.stop.set()
        for t in self._threads:
            t.join()
        samples, self.samples = self.samples, []
        self.stop.clear()
        return samples

    def baseline(self, seconds: float) -> tuple[list[float], int]:
        """The same load with no job running: page times and how many answers were errors."""
        self.start()
        time.sleep(seconds)
        samples = self.finish()
        return [s for _, _, s in samples], sum(1 for _, st, _ in samples if st not in (200, 302))


def measure(args, db_path: Path, seed_seconds: float, worker_pid: int) -> dict:
    contact = Browser(args.port)
    status, _ = contact.login("bench_contact")
    assert status == 302, f"login answered {status}"
    load = SiteLoad(args.port, contact.cookies, ["/", "/cadres/"], args.clients)
    baseline, baseline_errors = load.baseline(args.baseline_seconds)

    status, location, _, _ = contact.request("POST", "/accounts/trainee-accounts/", {})
    assert status == 302 and "/jobs/" in location, (status, location)
    job_id = re.search(r"/jobs/([0-9a-f-]+)/", location).group(1)
    started = time.monotonic()
    cpu_before = _cpu_seconds(worker_pid)
    load.pages.append(f"/jobs/{job_id}/")
    load.start()
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
                if first_progress is None and job["done"] > 0:
                    first_progress = time.monotonic() - started
                if job["status"] in ("succeeded", "failed"):
                    break
            time.sleep(0.1)
    finally:
        elapsed = time.monotonic() - started
        worker_cpu = _cpu_seconds(worker_pid) - cpu_before
        samples = load.finish()
        db.close()
    during = [s for _, st, s in samples]
    errors = [(p, st) for p, st, _ in samples if st not in (200, 302)]
    return {
        "cadres": args.cadres,
        "seed_seconds": round(seed_seconds, 1),
        "job_status": job.get("status"),
        "job_message": job.get("message"),
        "job_seconds": round(elapsed, 1),
        "job_worker_cpu_seconds": round(worker_cpu, 1),
        "load_average": os.getloadavg()[0],
        "first_progress_seconds": round(first_progress, 2) if first_progress else None,
        "requests_during_job": len(samples),
        "errors_during_job": len(errors),
        "error_samples": errors[:5],
        "page_p50_ms": round(statistics.median(during) * 1000) if during else None,
        "page_p95_ms": round(_p95(during) * 1000) if during else None,
        "page_max_ms": round(max(during) * 1000) if during else None,
        "idle_page_p95_ms": round(_p95(baseline) * 1000),
        "idle_requests": len(baseline),
        "idle_errors": baseline_errors,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def seed(n: int) -> None:
    """A city, 10 counties, N cadres without accounts, a unit contact and a staff member."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import date

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre, Org
    from ganxun.orgs.services import _insert_org

    with unscoped():
        city = _insert_org(name="甬江市", code="B0", level="city", parent=None)
        counties = [
            _insert_org(name=f"第{i}县", code=f"B0C{i}", level="county", parent=city)
            for i in range(10)
        ]
        batch = []
        for k in range(n):
            idn = make_id_number(f"{330201 + k // 800:06d}", date(1975, 1, 1 + k % 28), k % 800)
            batch.append(
                Cadre(
                    name=f"干部{k}",
                    gender="M" if k % 2 else "F",
                    id_number=idn,
                    id_tail=idn[-4:],
                    birth_date=date(1975, 1, 1 + k % 28),
                    unit=counties[k % 10],
                    rank=Cadre.Rank.SECTION_MAIN,
                    position="科员",
                )
            )
            if len(batch) == 2000:
                Cadre.objects.bulk_create(batch)
                batch = []
        Cadre.objects.bulk_create(batch)
        for username, role in (
            ("bench_contact", Role.UNIT_CONTACT),
            ("bench_staff", Role.ORGANIZER),
        ):
            user = User(username=username, display_name=username, org=city)
            user.set_password(PASSWORD)
            user.save()
            RoleGrant.objects.create(user=user, role=role)
        assert Org.objects.count() == 11


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]))
    else:
        main()
