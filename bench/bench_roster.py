"""Roster import benchmark: 100,000 rows × 12 columns — preview, commit, and re-import.

Each run gets a fresh database (a temp GANXUN_DATA_DIR with its own SQLite file, or a new
PostgreSQL database), migrated and given the 910-unit tree (not timed). Then three steps, each in
its own process so its peak memory (ru_maxrss) is its own:
  preview   — read, parse and classify every row, nothing written (the preview job)
  commit    — the commit job started from that preview: loads the preview's parsed rows,
              plans again against the database, writes
  reimport  — `ganxun import-roster FILE --commit` of the same file: read, parse, plan, and
              every row unchanged, so zero writes (counted)
Times are for the import itself, including the preview's row files the jobs write (Django
start-up excluded, reported apart).

    .venv/bin/python bench/bench_roster.py                                 # SQLite
    .venv/bin/python bench/bench_roster.py --postgres postgres://postgres@127.0.0.1:5432
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GANXUN = str(ROOT / ".venv" / "bin" / "ganxun")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="server URL without a database name")
    parser.add_argument("--roster", type=Path, help="reuse a file made by gen_roster.py")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        return child(args.step, Path(args.file))
    with tempfile.TemporaryDirectory(prefix="ganxun-bench-roster-") as tmp:
        sys.path.insert(0, str(ROOT))
        from bench.gen_roster import write

        started = time.perf_counter()
        path = args.roster or write(Path(tmp) / "roster.xlsx", args.rows)
        made = "reused" if args.roster else f"generated in {time.perf_counter() - started:.1f} s"
        print(f"roster file: {path.stat().st_size / 1e6:.1f} MB, {made}")
        runs = [one_run(args, path, run) for run in range(1, args.runs + 1)]
    report(args, runs)


def one_run(args, path: Path, run: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="ganxun-bench-db-") as data_dir:
        env = {**os.environ, "GANXUN_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": ""}
        env["DJANGO_SETTINGS_MODULE"] = "ganxun.config.settings.dev"
        env.pop("DATABASE_URL", None)
        database = None
        if args.postgres:
            database = f"ganxun_bench_roster_{os.getpid()}_{run}"
            env["DATABASE_URL"] = args.postgres.rstrip("/") + "/" + database
            subprocess.run(
                ["createdb", "-h", _host(args.postgres), "-U", "postgres", database], check=True
            )
        try:
            subprocess.run([GANXUN, "migrate", "-v0"], env=env, check=True)
            results = {
                step: run_step(step, path, env)
                for step in ("seed", "preview", "commit", "reimport")
            }
        finally:
            if database:
                subprocess.run(
                    ["dropdb", "-h", _host(args.postgres), "-U", "postgres", database], check=True
                )
    line = ", ".join(
        f"{s} {r['seconds']:.1f} s / {r['maxrss_mb']:.0f} MB"
        for s, r in results.items()
        if s != "seed"
    )
    print(f"run {run}: {line}; re-import writes: {results['reimport']['writes']}")
    return results


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or "127.0.0.1"


def run_step(step: str, path: Path, env: dict) -> dict:
    """Run one step in a child process; its own rusage gives its peak memory."""
    process = subprocess.Popen(
        [PYTHON, __file__, "--step", step, "--file", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"step {step} failed with status {status}")
    result = json.loads(out.strip().splitlines()[-1])
    result["maxrss_mb"] = usage.ru_maxrss / 1024
    # CPU time of the whole child (start-up included): steadier than wall time on a shared box
    result["cpu"] = usage.ru_utime + usage.ru_stime
    return result


def child(step: str, path: Path) -> None:
    started = time.perf_counter()
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection

    from bench.gen_roster import CATEGORIES, ROOT_CODE, ROOT_NAME, unit_tree
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import CadreCategory, Org
    from ganxun.orgs.roster.importer import ImportOptions, run_import
    from ganxun.orgs.roster.report import PreviewStore
    from ganxun.orgs.services import _insert_org

    setup = time.perf_counter() - started
    if step == "seed":
        root = _insert_org(parent=None, code=ROOT_CODE, name=ROOT_NAME, level="city")
        by_code = {ROOT_CODE: root}
        for code, name, level, parent in unit_tree():
            by_code[code] = _insert_org(parent=by_code[parent], code=code, name=name, level=level)
        for code, name in CATEGORIES:
            CadreCategory.objects.create(code=code, name=name)
        print(json.dumps({"seconds": 0.0, "writes": 0, "setup": setup}))
        return
    writes = []

    def count_writes(execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(1)
        return execute(sql, params, many, context)

    with unscoped():
        root = Org.objects.get(code=ROOT_CODE)
    options = ImportOptions(root=root, commit=step != "preview", filename=path.name)
    # as the background jobs do: the rows and the error report go to files, the preview keeps
    # what it parsed and the commit started from it loads that; the re-import reads the file
    data = Path(os.environ["GANXUN_DATA_DIR"])
    store = PreviewStore(Path(tempfile.mkdtemp(prefix="rows-", dir=data)))
    kept = data / "preview"
    begin = time.perf_counter()
    with connection.execute_wrapper(count_writes):
        summary = run_import(
            path,
            options,
            sink=store,
            cache_to=kept if step == "preview" else None,
            cache_from=kept if step == "commit" else None,
        )
    seconds = time.perf_counter() - begin
    body = summary.as_json()
    body["errors"] = len(body["errors"])
    print(json.dumps({"seconds": seconds, "writes": len(writes), "setup": setup, **body}))


def report(args, runs: list[dict]) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"

    def med(step, key="seconds"):
        return statistics.median(r[step][key] for r in runs)

    total = [r["preview"]["seconds"] + r["commit"]["seconds"] for r in runs]
    print(f"{backend}, {args.rows:,} rows × 12 columns, median of {len(runs)} runs:")
    for step in ("preview", "commit", "reimport"):
        values = [r[step]["seconds"] for r in runs]
        print(
            f"  {step:9} {med(step):5.1f} s (min {min(values):.1f}, max {max(values):.1f}), "
            f"CPU {med(step, 'cpu'):.1f} s, "
            f"peak memory {med(step, 'maxrss_mb'):.0f} MB, writes {runs[-1][step]['writes']}, "
            f"new {runs[-1][step]['new']}, updated {runs[-1][step]['updated']}, "
            f"unchanged {runs[-1][step]['unchanged']}, errors {runs[-1][step]['errors']}"
        )
    print(
        f"  preview + commit {statistics.median(total):.1f} s (min {min(total):.1f}, "
        f"max {max(total):.1f}); Django start-up per process {med('preview', 'setup'):.1f} s"
    )


if __name__ == "__main__":
    main()
