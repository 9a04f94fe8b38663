"""The progress endpoint beside bare Django (issue 21): 2,000 learners watching at once, a
report every 15 s each (≈133 requests/s), must be served at ≥ 0.3 × a bare Django hello-world.

The harness of bench_stack.py (issue 19): two gunicorn servers side by side — bare Django 5.2
answering "hello" (bench/stack_hello.py) and ganxun on its production settings with PostgreSQL
in its own database — loaded by wrk in interleaved windows. Seeded (not timed): bench_stack's
county and signed-in trainee sessions, then one published course of a 10-hour lesson, every
trainee enrolled with a play session opened a day ago (so the wall-time budget never binds and
every report is credited like a real one). Each wrk thread plays its own share of learners:
every request is one learner's next report (``seq`` + 1, 5 s further on the page's clock and in
the video), sent with that learner's session cookie, CSRF cookie and header, as the player
sends it. The ledger is not written per report (the lesson is far from complete): that is the
point of the design, and the count of ledger rows is printed to show it.

    .venv/bin/python bench/bench_learning.py [--postgres postgres://postgres@127.0.0.1:5432]
        [--database ganxun_learnbench] [--trainees 2000] [--seconds 10] [--rounds 3]
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_stack  # noqa: E402  (the side-by-side harness, beside this file)

CSRF = secrets.token_hex(16)  # one CSRF secret for every learner: the cookie and the header


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ganxun_learnbench")
    parser.add_argument("--redis", default="")
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # bench_stack's fixed ports may be another bench's, running at the same time on this box:
    # a server already there would answer the readiness probe and take the load instead
    bench_stack.HELLO_PORT, bench_stack.GANXUN_PORT = free_port(), free_port()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    work = Path(tempfile.mkdtemp(prefix="ganxun-bench-learning-"))
    env = bench_stack.ganxun_env(args, work)
    os.environ.update(env)
    pg = ["-h", urlparse(args.postgres).hostname or "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", "--if-exists", *pg, args.database], check=True)
    subprocess.run(["createdb", *pg, args.database], check=True)
    servers = []
    try:
        subprocess.run(
            [str(bench_stack.BIN / "ganxun"), "migrate", "-v0"], check=True, env=env, cwd=ROOT
        )
        bench_stack.seed(args, work)
        learners = seed_learning(work)
        servers = bench_stack.start_servers(args, env, work)
        print(f"{learners} learners seeded", flush=True)
        windows = run_rounds(args, work)
        report(args, windows)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", *pg, args.database], check=True)
        shutil.rmtree(work, ignore_errors=True)


def seed_learning(work: Path) -> int:
    """A course of one long lesson; every trainee enrolled, a play session opened a day ago.
    Writes learners.lua: per learner its session cookie and play token."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from ganxun.accounts.models import User
    from ganxun.catalog.models import Material
    from ganxun.core.scoping import unscoped
    from ganxun.learning.models import (
        Enrollment,
        Lesson,
        LessonProgress,
        OnlineCourse,
        PlaySession,
    )

    with unscoped():
        users = list(User.objects.filter(cadre__isnull=False).order_by("pk"))
        owner = users[0].org.parent if users[0].org.parent_id else users[0].org
        course = OnlineCourse.objects.create(owner=owner, title="基准课程", status="published")
        video = Material.objects.create(owner=owner, kind="video", title="基准视频")
        lesson = Lesson.objects.create(
            course=course, title="第一讲", material=video, duration_seconds=10 * 3600
        )
        Enrollment.objects.bulk_create(
            Enrollment(course=course, cadre_id=u.cadre_id) for u in users
        )
        LessonProgress.objects.bulk_create(
            LessonProgress(cadre_id=u.cadre_id, lesson=lesson) for u in users
        )
        progress = dict(LessonProgress.objects.values_list("cadre_id", "pk"))
        started = timezone.now() - timedelta(days=1)
        plays = [
            PlaySession(
                token=secrets.token_hex(16),
                cadre_id=u.cadre_id,
                progress_id=progress[u.cadre_id],
                user=u,
                started_at=started,
                last_seen_at=started,
            )
            for u in users
        ]
        PlaySession.objects.bulk_create(plays, batch_size=1000)
    # bench_stack.seed signed every trainee in: its session rows say whose they are
    store = SessionStore()
    keys = {
        int(store.decode(row.session_data)["_auth_user_id"]): row.session_key
        for row in Session.objects.all()
    }
    lines = []
    for play in plays:
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={keys[play.user_id]}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF}"
        )
        lines.append(f"{{cookie = {json.dumps(cookie)}, token = {json.dumps(play.token)}}}")
    (work / "learners.lua").write_text("return {\n" + ",\n".join(lines) + "}\n")
    return len(plays)


def lua_progress(work: Path, threads: int) -> str:
    origin = f"https://127.0.0.1:{bench_stack.GANXUN_PORT}"
    return (
        'wrk.headers["X-Forwarded-Proto"] = "https"\n'
        f'wrk.headers["Origin"] = "{origin}"\nwrk.headers["Referer"] = "{origin}/learning/"\n'
        f'wrk.headers["X-CSRFToken"] = "{CSRF}"\n'
        'wrk.headers["Content-Type"] = "application/json"\nwrk.method = "POST"\n'
        f'local learners = dofile("{work / "learners.lua"}")\n'
        "local counter = 0\n"
        "setup = function(thread) thread:set('id', counter); counter = counter + 1 end\n"
        "local seqs = {}\nlocal k = 0\n"
        "request = function()\n"
        # each thread its own learners (id, id + threads, …), round robin
        f"  local i = ((k * {threads} + (id or 0)) % #learners) + 1\n  k = k + 1\n"
        "  local s = (seqs[i] or 0) + 1\n  seqs[i] = s\n"
        "  local l = learners[i]\n"
        '  wrk.headers["Cookie"] = l.cookie\n'
        '  local body = string.format(\'{"token":"%s","reports":[{"seq":%d,"t":%d,'
        '"pos":%d,"state":"playing","rate":1}]}\', l.token, s, (s - 1) * 5000, (s - 1) * 5000)\n'
        '  return wrk.format(nil, "/learning/progress/", nil, body)\n'
        "end\n"
        # the first refusal of each thread is printed: a bench that measures errors is useless
        "local told = false\n"
        "response = function(status, headers, body)\n"
        "  if status ~= 200 and not told then told = true;"
        " local text = string.gsub(string.sub(body or '', 1, 3000), '%s+', ' ')\n"
        "  io.write('REFUSED ' .. status .. ' ' .. text .. '\\n') end\n"
        "end\n" + bench_stack.LUA_DONE
    )


def run_window(endpoint: str, args, work: Path, window: int, seconds: int) -> dict:
    script = work / f"{endpoint}-{window}.lua"
    if endpoint == "hello":
        script.write_text('wrk.headers["X-Forwarded-Proto"] = "https"\n' + bench_stack.LUA_DONE)
        url = f"http://127.0.0.1:{bench_stack.HELLO_PORT}/"
    else:
        script.write_text(lua_progress(work, args.threads))
        url = f"http://127.0.0.1:{bench_stack.GANXUN_PORT}/learning/progress/"
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout=10s", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("REFUSED "):
            print(line[:3000], flush=True)
    raw = json.loads(next(x for x in out.splitlines() if x.startswith("WRKJSON "))[8:])
    answered = raw["requests"] - raw["status_errors"]
    return {
        "rps": round(answered / (raw["duration_us"] / 1e6), 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "non_2xx_3xx": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
    }


def run_rounds(args, work: Path) -> dict:
    windows: dict[str, list] = {"hello": [], "progress": []}
    for window in range(args.rounds + 1):
        for endpoint in windows:
            seconds = 2 if window == 0 else args.seconds
            figures = run_window(endpoint, args, work, window, seconds)
            if window:
                windows[endpoint].append(figures)
            print(
                f"{'warm-up' if not window else f'round {window}':8s} {endpoint:8s} {figures}",
                flush=True,
            )
    return windows


def report(args, windows: dict) -> None:
    from ganxun.core.scoping import unscoped
    from ganxun.credits.models import CreditEntry
    from ganxun.learning.models import LessonProgress

    med = {
        name: {
            "rps": statistics.median(w["rps"] for w in runs),
            "p99_ms": statistics.median(w["p99_ms"] for w in runs),
            "errors": sum(w["non_2xx_3xx"] + w["socket_errors"] for w in runs),
        }
        for name, runs in windows.items()
    }
    hello = med["hello"]["rps"] or 1
    med["progress"]["ratio"] = round(med["progress"]["rps"] / hello, 3)
    with unscoped():
        watched = sum(LessonProgress.objects.values_list("watched_ms", flat=True)) // 1000
        ledger = CreditEntry.objects.count()
    load = os.getloadavg()
    print(
        f"\n{args.workers} sync workers; wrk -t{args.threads} -c{args.connections};"
        f" {args.rounds} × {args.seconds} s; medians"
    )
    for name, f in med.items():
        print(f"{name:8s} {f['rps']:8.1f} req/s  p99 {f['p99_ms']:6.1f} ms  errors {f['errors']}")
    print(f"progress ÷ hello = {med['progress']['ratio']} (target ≥ 0.3; 133 req/s needed)")
    print(f"seconds credited {watched}; ledger rows {ledger}; load {load[0]:.2f}")
    print(json.dumps({"endpoints": med, "watched_s": watched, "ledger_rows": ledger}))


if __name__ == "__main__":
    main()
