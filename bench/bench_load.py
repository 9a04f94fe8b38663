"""Load: a burst of distinct trainees checking in and then submitting the class evaluation,
against two app processes (gunicorn) sharing one PostgreSQL and one Redis, as deployed.

Given, not timed: a fresh database (``ganxun_ops_load`` by default, dropped and re-created), a
city with N trainees (each with an account, already signed in: a session per trainee is written
the way a login writes it — the burst measures check-in and evaluation, not Argon2), one program
with all N enrolled, one session that started five minutes ago in a classroom, the default
evaluation form. Two app processes (``gunicorn --workers 2 --threads 4`` each, ports 8101/8102,
as deploy/ganxun-web@.service) and one task worker are started.

Timed, in one run:
1. hello world: N × ``GET /healthz`` of the same deployment (no database) — the baseline;
2. the burst: each trainee ``GET /checkin/s/<code>/`` (the projector's rotating code, signed
   with the deployment's key) → 302, then ``POST /evaluations/sessions/<pk>/`` with five
   ratings and a comment → 302. Requests alternate between the two processes (nginx's job).

Checked: zero errors (every answer the expected redirect), zero lost or duplicated rows (N
attendance rows, N evaluations, N submitted responses, 5·N rating answers, all distinct per
trainee); reported: p50/p95/p99 per step, throughput, and its ratio to hello world.

The load generator runs on the same 2-core machine (threads, keep-alive connections), so it
takes a share of the CPU that the servers would otherwise have; the ratio is the figure to read.
Rate limiting is switched off for the run (GANXUN_RATELIMITS_ENABLED=0): every request comes
from 127.0.0.1, where production trainees come from their own phones' addresses.

    .venv/bin/python bench/bench_load.py [--trainees 5000] [--clients 32]
        [--postgres postgres://postgres@127.0.0.1:5432] [--database ganxun_ops_load]
        [--redis redis://127.0.0.1:6379/8]
"""

import argparse
import http.client
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORTS = (8101, 8102)
STALE_CONNECTION = ("RemoteDisconnected", "ConnectionResetError", "BrokenPipeError")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ganxun_ops_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="ganxun-bench-load-"))
    env = deployment_env(args, data_dir)
    os.environ.update(env)
    fresh_database(args)
    run([str(BIN / "ganxun"), "migrate", "-v0", "--noinput"], env)

    import django

    django.setup()
    seed = Seed(args.trainees)
    print(f"seeded {args.trainees} signed-in trainees in {seed.seconds:.1f} s", flush=True)

    processes = start_deployment(env, args.workers)
    try:
        wait_ready()
        hello = Phase("hello", args.clients)
        hello.run([("GET", "/healthz", None, None, 200)] for _ in range(args.trainees))
        burst = Phase("burst", args.clients)
        burst.run(seed.trainee_steps(i) for i in range(args.trainees))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    report(args, hello, burst, seed.verify())


# --- the deployment ------------------------------------------------------------------------


def deployment_env(args, data_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev",
        "DATABASE_URL": f"{args.postgres.rstrip('/')}/{args.database}",
        "REDIS_URL": args.redis,
        "GANXUN_DATA_DIR": str(data_dir),
        "GANXUN_RATELIMITS_ENABLED": "0",
        "GANXUN_SECRET_KEY": "bench-" + "k" * 40,
    }


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def fresh_database(args) -> None:
    url = urlparse(args.postgres)
    base = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", "postgres"]
    subprocess.run(["dropdb", "--if-exists", *base, args.database], check=True)
    subprocess.run(["createdb", *base, args.database], check=True)
    import redis

    redis.Redis.from_url(args.redis).flushdb()  # this run's own Redis database number


def start_deployment(env: dict, workers: int) -> list[subprocess.Popen]:
    apps = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "ganxun.config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--threads=4",
                "--keep-alive=75",  # as deploy/: longer than the clients' idle gaps
                "--log-level=warning",
            ],
            env=env,
            cwd=ROOT,
        )
        for port in PORTS
    ]
    worker = subprocess.Popen(
        [str(BIN / "ganxun"), "worker", "--no-reload", "--no-startup-delay"], env=env, cwd=ROOT
    )
    return [*apps, worker]


def wait_ready(timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for port in PORTS:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the app on port {port} did not become ready")
            time.sleep(0.5)


# --- the data ------------------------------------------------------------------------------


class Seed:
    """The city, the trainees with their sessions, the program, the open class and its form."""

    def __init__(self, n: int):
        started = time.monotonic()
        self.n = n
        self._build()
        self.seconds = time.monotonic() - started

    def _build(self) -> None:
        from datetime import timedelta

        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        from ganxun.accounts.models import Role, RoleGrant, User
        from ganxun.core.scoping import unscoped
        from ganxun.evaluations.services.forms import setup_ensure
        from ganxun.orgs.models import Cadre
        from ganxun.programs.models import ProgramTrainee, Venue
        from tests.factories import CadreFactory, make_org, make_user
        from tests.programs.factories import make_program, make_session

        with unscoped():
            city = make_org(None, name="甬江市", level="city", code="330200")
            towns = [make_org(city, name=f"镇{t}", level="township") for t in range(50)]
            organizer = make_user(city, Role.ORGANIZER, username="jiaowu")
            batch = [CadreFactory.build(unit=towns[i % 50]) for i in range(self.n)]
            for cadre in batch:
                cadre.save()  # save(): the encrypted fields and their search hashes are filled
            cadres = list(Cadre.objects.order_by("pk"))
            password = make_password(secrets.token_urlsafe(12))
            users = User.objects.bulk_create(
                User(
                    username=f"t{c.pk}", display_name=c.name, org=c.unit, cadre=c, password=password
                )
                for c in cadres
            )
            RoleGrant.objects.bulk_create(RoleGrant(user=u, role=Role.TRAINEE) for u in users)
            today = timezone.localdate()
            program = make_program(
                city,
                organizer=organizer,
                start=today - timedelta(days=1),
                end=today + timedelta(days=30),
                name="负载测试班",
            )
            venue = Venue.objects.create(owner=city, name="报告厅", kind=Venue.Kind.MAIN)
            ProgramTrainee.objects.bulk_create(
                ProgramTrainee(program=program, cadre=c) for c in cadres
            )
            now = timezone.now()
            self.session = make_session(
                program, now - timedelta(minutes=5), now + timedelta(hours=3), main_venue=venue
            )
            self.venue = venue
            questions = setup_ensure(program).questionnaire.questions.order_by("position")
            self.form_fields = {}
            for q in questions:
                self.form_fields[f"q{q.pk}"] = "4" if q.kind == "rating" else "讲得很好"
        self.cookies = [self._signed_in(user) for user in users]
        self.program = program

    def _signed_in(self, user) -> str:
        """The cookies a browser holds after signing in: a session (Redis + database) and a
        CSRF secret."""
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.cached_db import SessionStore

        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        csrf = secrets.token_hex(16)
        cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        cookie += f"{settings.CSRF_COOKIE_NAME}={csrf}"
        return cookie + "|" + csrf

    def trainee_steps(self, i: int):
        from ganxun.checkin import codes

        cookie, csrf = self.cookies[i].split("|")
        code = codes.make_code(self.session.pk, self.venue.pk)
        form = {"csrfmiddlewaretoken": csrf, "key": secrets.token_hex(8), **self.form_fields}
        headers = {"Cookie": cookie}
        return [
            ("GET", f"/checkin/s/{code}/", None, headers, 302),
            ("POST", f"/evaluations/sessions/{self.session.pk}/", form, headers, 302),
        ]

    def verify(self) -> dict:
        from django.db.models import Count

        from ganxun.checkin.models import Attendance
        from ganxun.evaluations.models import SessionEvaluation
        from ganxun.surveys.models import Answer, Response

        rows = Attendance._base_manager.filter(session=self.session)
        evaluations = SessionEvaluation._base_manager.filter(session=self.session)
        responses = Response._base_manager.filter(pk__in=evaluations.values("response_id"))
        return {
            "attendance_rows": rows.count(),
            "attendance_distinct_trainees": rows.values("cadre_id").distinct().count(),
            "evaluations": evaluations.count(),
            "evaluations_distinct_trainees": evaluations.values("cadre_id").distinct().count(),
            "responses_submitted": responses.filter(submitted_at__isnull=False).count(),
            "rating_answers": Answer._base_manager.filter(
                response__in=responses, question__kind="rating"
            ).count(),
            "duplicate_attendance": rows.values("cadre_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count(),
        }


# --- the load ------------------------------------------------------------------------------


class Phase:
    """Clients in threads, each with a keep-alive connection per app process, taking the next
    trainee's steps from a shared iterator; every answer's status and time are kept."""

    def __init__(self, name: str, clients: int):
        self.name, self.clients = name, clients
        self.timings: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.requests = 0
        self.reconnects = 0
        self.seconds = 0.0
        self._lock = threading.Lock()

    def run(self, scripts) -> None:
        scripts = iter(scripts)
        turn = itertools.count()
        started = time.monotonic()
        threads = [
            threading.Thread(target=self._client, args=(scripts, turn)) for _ in range(self.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.seconds = time.monotonic() - started
        print(
            f"{self.name}: {self.requests} requests in {self.seconds:.1f} s, "
            f"{len(self.errors)} errors",
            flush=True,
        )

    def _client(self, scripts, turn) -> None:
        conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port in PORTS}
        while True:
            with self._lock:
                steps = next(scripts, None)
            if steps is None:
                return
            port = PORTS[next(turn) % len(PORTS)]  # one trainee's steps on one process
            for method, path, form, headers, expected in steps:
                self._one(conns, port, method, path, form, headers or {}, expected)

    def _one(self, conns, port, method, path, form, headers, expected) -> None:
        body = urlencode(form) if form else None
        sent = dict(headers)
        if body:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        step = path.strip("/").split("/")[0] or "root"
        started = time.monotonic()
        status, content = self._send(conns, port, method, path, body, sent)
        if status in STALE_CONNECTION and method == "GET":
            # a kept-alive connection the server had closed: what a browser does, once
            self.reconnects += 1
            status, content = self._send(conns, port, method, path, body, sent)
        elapsed = time.monotonic() - started
        with self._lock:
            self.requests += 1
            self.timings.setdefault(step, []).append(elapsed)
            if status != expected:
                self.errors.append(f"{method} {path} → {status} {content[:200]!r}")

    @staticmethod
    def _send(conns, port, method, path, body, headers):
        try:
            conns[port].request(method, path, body, headers)
            response = conns[port].getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            conns[port].close()
            conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            return type(exc).__name__, b""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(args, hello: Phase, burst: Phase, rows: dict) -> None:
    n = args.trainees
    expected = {
        "attendance_rows": n,
        "attendance_distinct_trainees": n,
        "evaluations": n,
        "evaluations_distinct_trainees": n,
        "responses_submitted": n,
        "rating_answers": 5 * n,
        "duplicate_attendance": 0,
    }
    hello_rps = hello.requests / hello.seconds
    burst_rps = burst.requests / burst.seconds
    steps = {
        step: {
            "n": len(t),
            "p50_ms": round(statistics.median(t) * 1000, 1),
            "p95_ms": round(percentile(t, 95) * 1000, 1),
            "p99_ms": round(percentile(t, 99) * 1000, 1),
        }
        for phase in (hello, burst)
        for step, t in phase.timings.items()
    }
    result = {
        "trainees": n,
        "clients": args.clients,
        "hello_requests_per_s": round(hello_rps, 1),
        "burst_requests_per_s": round(burst_rps, 1),
        "burst_trainees_per_s": round(n / burst.seconds, 1),
        "ratio_to_hello": round(burst_rps / hello_rps, 3),
        "burst_seconds": round(burst.seconds, 1),
        "errors": len(hello.errors) + len(burst.errors),
        "reconnects": hello.reconnects + burst.reconnects,
        "first_errors": (hello.errors + burst.errors)[:5],
        "steps": steps,
        "rows": rows,
        "rows_ok": rows == expected,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if result["errors"] or not result["rows_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
