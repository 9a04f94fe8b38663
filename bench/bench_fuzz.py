"""Fuzzing: schemathesis against /api/openapi.json of a live server on PostgreSQL; every
generated case must get an answer below 500.

Given, not timed: a fresh database (dropped and re-created) with the demo city
(``ganxun demo --cadres 3000``: programs, sessions, check-ins, credits to find), an administrator's
API token, one app process (gunicorn) with JSON request logs. Then schemathesis generates cases
for every operation (examples, coverage, fuzzing and stateful phases) with the bearer token and
the ``not_a_server_error`` check. Independently of schemathesis, the server's own request log is
counted: requests served and how many answered 5xx.

    python3 -m venv bench/.venv-fuzz
    bench/.venv-fuzz/bin/pip install -r bench/requirements-fuzz.txt
    .venv/bin/python bench/bench_fuzz.py [--examples 100] [--database ganxun_ops] [--sqlite]

Bounded: only 127.0.0.1 (``--port``), at most ``--examples`` cases per operation and phase, and
the whole schemathesis run is stopped after ``--max-seconds`` (then the run counts as failed).
``--sqlite`` runs the same against a fresh SQLite file instead of PostgreSQL (integers beyond
2⁶³ fail differently there). The app's tools are taken from the interpreter running this
script, so a worktree can use the main checkout's virtualenv.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the app's virtualenv (.venv/bin/python bench/bench_fuzz.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="per operation and phase")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="ganxun_ops")
    parser.add_argument(
        "--schemathesis", default=str(ROOT / "bench" / ".venv-fuzz" / "bin" / "schemathesis")
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--max-seconds", type=int, default=1800, help="stop schemathesis after")
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file, not PG")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="ganxun-bench-fuzz-"))
    database_url = (
        f"sqlite:///{data_dir / 'fuzz.sqlite3'}"
        if args.sqlite
        else f"{args.postgres.rstrip('/')}/{args.database}"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev",
        "DATABASE_URL": database_url,
        "GANXUN_DATA_DIR": str(data_dir),
        "GANXUN_LOG_JSON": "1",
        "GANXUN_RATELIMITS_ENABLED": "0",  # the fuzzer is one client sending thousands of cases
    }
    url = urlparse(args.postgres)
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", "postgres"]
    if not args.sqlite:
        subprocess.run(["dropdb", "--if-exists", *pg, args.database], check=True)
        subprocess.run(["createdb", *pg, args.database], check=True)
    subprocess.run([str(BIN / "ganxun"), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [str(BIN / "ganxun"), "demo", "--cadres", "3000", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    token = make_token(env)
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "ganxun.config.wsgi:application",
                f"--bind=127.0.0.1:{args.port}",
                "--workers=2",
                "--threads=4",
                "--timeout=120",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        try:
            started = time.monotonic()
            fuzz = run_bounded(
                [
                    args.schemathesis,
                    "run",
                    f"http://127.0.0.1:{args.port}/api/openapi.json",
                    "--wait-for-schema",
                    "120",
                    "-H",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "not_a_server_error",
                    "--max-examples",
                    str(args.examples),
                    "--seed",
                    str(args.seed),
                    "--continue-on-failure",
                    "--request-timeout",
                    "60",
                    "--workers",
                    "2",
                ],
                cwd=data_dir,
                seconds=args.max_seconds,
            )
            seconds = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(fuzz.stdout[-6000:])
    print(fuzz.stderr[-2000:], file=sys.stderr)
    served, errors = server_log_counts(log_path)
    summary = {
        "database": "sqlite" if args.sqlite else "postgresql",
        "schemathesis_exit": fuzz.returncode,
        "cases": cases_generated(fuzz.stdout),
        "server_requests": served,
        "server_5xx": len(errors),
        "first_5xx": errors[:10],
        "seconds": round(seconds, 1),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if fuzz.returncode or errors:
        sys.exit(1)


def run_bounded(command: list[str], *, cwd: Path, seconds: int) -> subprocess.CompletedProcess:
    """schemathesis, stopped after ``seconds`` (a stopped run is a failed run, exit 124)."""
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        return subprocess.CompletedProcess(command, 124, out, err + "\nstopped: time bound")


def make_token(env: dict) -> str:
    code = """
import django; django.setup()
from ganxun.accounts.models import ApiToken, Role, User, hash_token
admin = next(u for u in User.objects.filter(username="admin") if u.has_role(Role.ADMIN))
raw = ApiToken.new_raw_key()
ApiToken.objects.create(user=admin, name="fuzz", prefix=raw[:8], key_hash=hash_token(raw))
print(raw)
"""
    out = subprocess.run(
        [str(BIN / "python"), "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def server_log_counts(path: Path) -> tuple[int, list[str]]:
    """Requests the app logged (one JSON line each) and those that answered 5xx."""
    served, errors = 0, []
    for line in path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") != "request":
            continue
        served += 1
        if int(entry.get("status", 0)) >= 500:
            errors.append(f"{entry['method']} {entry['path']} → {entry['status']}")
    return served, errors


def cases_generated(output: str) -> int | None:
    """schemathesis' closing summary names how many test cases it generated."""
    found = re.findall(r"(\d[\d,]*) generated", output)
    return int(found[-1].replace(",", "")) if found else None


if __name__ == "__main__":
    main()
