"""How long `ganxun demo` takes to build the default city (50,000 cadres) in a fresh database.

Each run gets a fresh database (a temp GANXUN_DATA_DIR with its own SQLite file, or a new
PostgreSQL database), is migrated (not timed), then `ganxun demo` is timed as a whole process,
start-up included. Prints every run and the median.

    .venv/bin/python bench/bench_demo.py                      # SQLite, 3 runs
    .venv/bin/python bench/bench_demo.py --postgres postgres://postgres@127.0.0.1:5432 --runs 1
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
GANXUN = str(ROOT / ".venv" / "bin" / "ganxun")
SUMMARY = re.compile(r"共 ([\d,]+) 行，用时 ([\d.]+) 秒")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cadres", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres", metavar="URL", help="server URL without a database name; default: SQLite"
    )
    args = parser.parse_args()
    walls, inner = [], []
    for run in range(1, args.runs + 1):
        wall, rows, seconds = one_run(args, run)
        walls.append(wall)
        inner.append(seconds)
        print(f"run {run}: {wall:.1f} s wall, {seconds:.1f} s inside the command, {rows:,} rows")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{backend}, {args.cadres:,} cadres: median {statistics.median(walls):.1f} s wall "
        f"(min {min(walls):.1f}, max {max(walls):.1f}); "
        f"median {statistics.median(inner):.1f} s inside the command"
    )


def one_run(args, run: int) -> tuple[float, int, float]:
    with tempfile.TemporaryDirectory(prefix="ganxun-bench-demo-") as data_dir:
        env = {**os.environ, "GANXUN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        database = None
        if args.postgres:
            database = f"ganxun_bench_demo_{os.getpid()}_{run}"
            env["DATABASE_URL"] = args.postgres.rstrip("/") + "/" + database
            postgres_tool("createdb", args.postgres, database)
        try:
            subprocess.run([GANXUN, "migrate", "-v0"], env=env, check=True)
            started = time.perf_counter()
            result = subprocess.run(
                [GANXUN, "demo", "--seed", str(args.seed), "--cadres", str(args.cadres)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - started
        finally:
            if database:
                postgres_tool("dropdb", args.postgres, database)
    found = SUMMARY.search(result.stdout)
    if not found:
        sys.exit(f"unexpected output:\n{result.stdout}")
    return wall, int(found.group(1).replace(",", "")), float(found.group(2))


def postgres_tool(tool: str, url: str, database: str) -> None:
    parts = urlsplit(url)
    command = [tool, "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", parts.username]
    subprocess.run([*command, database], check=True)


if __name__ == "__main__":
    main()
