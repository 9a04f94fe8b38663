"""The request path beside bare Django (issue 19): what ganxun's stack costs before any feature.

Two gunicorn servers with the same settings (``--workers`` sync workers each) run side by side:
bare Django 5.2 answering "hello" with the default middleware (bench/stack_hello.py, the
ceiling), and ganxun on its production settings (a random secret and field key, PostgreSQL in
its own database ``--database``, JSON request logs as deploy/ganxun.env.example; no Redis unless
``--redis``: the caches are then per process, as the issue measured). wrk (Debian's ``wrk``)
loads, in interleaved windows of ``--seconds`` with ``--threads`` threads and ``--connections``
connections, ``--rounds`` times each (one short warm-up round first, not counted):

- ``hello``: ``GET /`` of bare Django;
- ``ping``: ``GET /api/ping`` with a bearer token;
- ``kiosk``: ``POST /api/checkin`` with the kiosk's token, a new (session, trainee) row each;
- ``scan``: ``GET /checkin/s/<code>/`` as ``--trainees`` signed-in trainees, each request with
  one trainee's own session cookie (picked at random), a fresh code and class each window.

Printed per endpoint: the median req/s answered (2xx/3xx), the median p99, the non-2xx/3xx and
socket-error counts, and the ratio to hello. The last line is one JSON object with every figure.
The box's load average is printed too: on a shared box only the ratios mean something.

    .venv/bin/python bench/bench_stack.py [--postgres postgres://postgres@127.0.0.1:5432]
        [--database ganxun_stackbench] [--trainees 5000] [--seconds 10] [--rounds 3]
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HELLO_PORT, GANXUN_PORT = 8811, 8812
ENDPOINTS = ("hello", "ping", "kiosk", "scan")
KIOSK_SESSIONS = 4  # classes per kiosk window: more fresh rows than a window can use

# wrk's done() hook: one JSON line with the figures of the window (latencies in µs)
LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,'
    .. '"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ganxun_stackbench")
    parser.add_argument("--redis", default="", help="REDIS_URL for ganxun (default: none)")
    parser.add_argument("--trainees", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    work = Path(tempfile.mkdtemp(prefix="ganxun-bench-stack-"))
    env = ganxun_env(args, work)
    os.environ.update(env)
    host = urlparse(args.postgres).hostname or "127.0.0.1"
    pg = ["-h", host, "-U", "postgres"]
    subprocess.run(["dropdb", "--if-exists", *pg, args.database], check=True)
    subprocess.run(["createdb", *pg, args.database], check=True)
    servers = []
    try:
        subprocess.run([str(BIN / "ganxun"), "migrate", "-v0"], check=True, env=env, cwd=ROOT)
        world = seed(args, work)
        servers = start_servers(args, env, work)
        windows = run_rounds(args, world, work)
        report(args, windows, world)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", *pg, args.database], check=True)
        shutil.rmtree(work, ignore_errors=True)


def ganxun_env(args, work: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.production",
        "GANXUN_SECRET_KEY": secrets.token_urlsafe(50),
        "GANXUN_FIELD_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "GANXUN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GANXUN_DEBUG": "0",
        "GANXUN_LOG_JSON": "1",
        "GANXUN_DATA_DIR": str(work / "data"),
        "DATABASE_URL": f"{args.postgres.rstrip('/')}/{args.database}",
    }
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    (work / "data").mkdir()
    return env


# --- the data --------------------------------------------------------------------------------


def seed(args, work: Path) -> dict:
    """bench_checkin's county (trainees, a kiosk token, classes happening now), plus an account
    per trainee already signed in: a session row as a login leaves it."""
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_checkin

    windows = args.rounds + 1  # the warm-up round too
    bench_checkin.TRAINEES = args.trainees
    bench_checkin.SESSIONS = windows * (1 + KIOSK_SESSIONS)
    world = bench_checkin.build()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.orgs.models import Cadre

    pw = make_password(secrets.token_urlsafe(12))
    users = User.objects.bulk_create(
        User(username=f"t{pk}", display_name=f"学员{pk}", org_id=unit, cadre_id=pk, password=pw)
        for pk, unit in Cadre._base_manager.values_list("pk", "unit_id").order_by("pk")
    )
    RoleGrant.objects.bulk_create(RoleGrant(user=u, role=Role.TRAINEE) for u in users)
    store, now = SessionStore(), int(time.time())
    expire = timezone.now() + timezone.timedelta(days=30)
    rows, cookies = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "last_seen": now,
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={key}")
    Session.objects.bulk_create(rows, batch_size=1000)
    (work / "cookies.lua").write_text("return {\n" + ",\n".join(map(json.dumps, cookies)) + "}\n")
    sessions = world["sessions"]
    world["scan_sessions"] = sessions[:windows]
    world["kiosk_sessions"] = [
        sessions[windows + w * KIOSK_SESSIONS : windows + (w + 1) * KIOSK_SESSIONS]
        for w in range(windows)
    ]
    return world


# --- the servers -----------------------------------------------------------------------------


def start_servers(args, env: dict, work: Path) -> list[subprocess.Popen]:
    common = [str(BIN / "gunicorn"), f"--workers={args.workers}", "--worker-class=sync"]
    common += ["--backlog=2048", "--log-level=warning"]
    hello_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stack_hello"}
    hello_env["PYTHONPATH"] = os.pathsep.join(filter(None, [".", os.environ.get("PYTHONPATH")]))
    hello_env.pop("DATABASE_URL", None)
    plan = [
        (HELLO_PORT, "django.core.wsgi:get_wsgi_application()", hello_env, ROOT / "bench"),
        (GANXUN_PORT, "ganxun.config.wsgi:application", env, ROOT),
    ]
    servers = []
    for port, app, server_env, cwd in plan:
        log = open(work / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 (open while it runs)
        command = [*common, f"--bind=127.0.0.1:{port}", app]
        servers.append(
            subprocess.Popen(
                command, env=server_env, cwd=cwd, stdout=log, stderr=log, start_new_session=True
            )
        )
    for port, path in ((HELLO_PORT, "/"), (GANXUN_PORT, "/healthz")):
        wait_ready(port, path, work)
    return servers


def wait_ready(port: int, path: str, work: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    log = (work / f"gunicorn-{port}.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"the server on port {port} did not start:\n{log}")


# --- the load --------------------------------------------------------------------------------


def lua_for(endpoint: str, world: dict, window: int, work: Path, threads: int) -> str:
    common = 'wrk.headers["X-Forwarded-Proto"] = "https"\n'  # as nginx says in production
    if endpoint == "hello":
        return common + LUA_DONE
    token = f'wrk.headers["Authorization"] = "Bearer {world["token"]}"\n'
    if endpoint == "ping":
        return common + token + LUA_DONE
    if endpoint == "kiosk":
        # each wrk thread walks its own share of (class, trainee) pairs: a new row each time
        cadres = "{" + ",".join(map(str, world["cadres"])) + "}"
        classes = "{" + ",".join(map(str, world["kiosk_sessions"][window])) + "}"
        return (
            common
            + token
            + 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            + f"local cadres = {cadres}\nlocal classes = {classes}\n"
            + "local n = 0\nlocal counter = 0\n"
            + "setup = function(thread) thread:set('id', counter); counter = counter + 1 end\n"
            + "request = function()\n"
            + f"  local k = n * {threads} + (id or 0)\n  n = n + 1\n"
            + "  local c = cadres[k % #cadres + 1]\n"
            + "  local s = classes[math.floor(k / #cadres) % #classes + 1]\n"
            + '  return wrk.format(nil, "/api/checkin", nil,'
            + " '{\"session\":' .. s .. ',\"cadre\":' .. c .. '}')\n"
            + "end\n"
            + LUA_DONE
        )
    # scan: a fresh code for this window's class; each request a random trainee's own cookie
    from ganxun.checkin import codes

    code = codes.make_code(world["scan_sessions"][window], world["hall"])
    return (
        common
        + f'local cookies = dofile("{work / "cookies.lua"}")\n'
        # each thread its own random sequence (LuaJIT starts every thread on the same one)
        + "local counter = 0\n"
        + "setup = function(thread) thread:set('id', counter); counter = counter + 1 end\n"
        + "init = function() math.randomseed(os.time() * 7 + (id or 0)) end\n"
        + "request = function()\n"
        + '  wrk.headers["Cookie"] = cookies[math.random(#cookies)]\n'
        + f'  return wrk.format("GET", "/checkin/s/{code}/")\n'
        + "end\n"
        + LUA_DONE
    )


def run_window(endpoint: str, args, world: dict, window: int, work: Path, seconds: int) -> dict:
    script = work / f"{endpoint}-{window}.lua"
    script.write_text(lua_for(endpoint, world, window, work, args.threads))
    port = HELLO_PORT if endpoint == "hello" else GANXUN_PORT
    path = "/checkin/" if endpoint == "scan" else ("/api/ping" if endpoint != "hello" else "/")
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout=10s", "-s", str(script), f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = raw["duration_us"] / 1e6
    answered = raw["requests"] - raw["status_errors"]
    return {
        "rps": round(answered / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "non_2xx_3xx": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
        "requests": raw["requests"],
    }


def run_rounds(args, world: dict, work: Path) -> dict:
    windows = {name: [] for name in ENDPOINTS}
    for window in range(args.rounds + 1):
        warm_up = window == 0
        for endpoint in ENDPOINTS:
            seconds = 2 if warm_up else args.seconds
            figures = run_window(endpoint, args, world, window, work, seconds)
            if not warm_up:
                windows[endpoint].append(figures)
            label = "warm-up" if warm_up else f"round {window}"
            print(
                f"{label:8s} {endpoint:6s} {figures['rps']:8.1f} req/s"
                f"  p99 {figures['p99_ms']:6.1f} ms  non-2xx/3xx {figures['non_2xx_3xx']}"
                f"  socket errors {figures['socket_errors']}",
                flush=True,
            )
    return windows


# --- the report ------------------------------------------------------------------------------


def report(args, windows: dict, world: dict) -> None:
    from ganxun.checkin.models import Attendance

    med = {
        name: {
            "rps": statistics.median(w["rps"] for w in runs),
            "p99_ms": statistics.median(w["p99_ms"] for w in runs),
            "non_2xx_3xx": sum(w["non_2xx_3xx"] for w in runs),
            "socket_errors": sum(w["socket_errors"] for w in runs),
        }
        for name, runs in windows.items()
    }
    hello = med["hello"]["rps"] or 1
    print()
    print(
        f"{args.workers} sync workers each; wrk -t{args.threads} -c{args.connections},"
        f" {args.rounds} × {args.seconds} s interleaved; medians"
    )
    print(f"{'endpoint':8s} {'req/s':>8s} {'× hello':>8s} {'p99 ms':>8s} {'non-2xx/3xx':>12s}")
    for name, figures in med.items():
        figures["ratio"] = round(figures["rps"] / hello, 3)
        print(
            f"{name:8s} {figures['rps']:8.1f} {figures['ratio']:8.3f} {figures['p99_ms']:8.1f}"
            f" {figures['non_2xx_3xx'] + figures['socket_errors']:12d}"
        )
    scanned = Attendance._base_manager.filter(session_id__in=world["scan_sessions"]).count()
    load = os.getloadavg()
    print(f"scan rows written: {scanned}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    summary = {
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "trainees": args.trainees,
        "load_average": [round(x, 2) for x in load],
        "endpoints": med,
        "windows": windows,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
