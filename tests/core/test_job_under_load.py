"""A long job on the embedded SQLite setup does not take the site down: a real worker process runs
the bulk-account job against a file SQLite database while signed-in pages, the job's own progress
partial and logins are requested from a real server process. Every request answers (no 400, no
503, no "database is locked"), and the progress bar moves within seconds.

It runs ``bench/bench_accounts.py`` small (the benchmark's figures are in docs/benchmarks.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the embedded SQLite setup (the benchmark makes its own SQLite database)",
)


def test_pages_answer_while_the_bulk_account_job_runs():
    # given a city of 3,000 cadres, a worker process and a server process on one SQLite file
    # when a unit contact opens their accounts while three people keep using the site
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_accounts.py"),
            "--cadres",
            "3000",
            "--clients",
            "3",
            "--baseline-seconds",
            "2",
            "--port",
            "8139",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # then the job finished, its bar moved early, and every page and login answered
    assert result["job_status"] == "succeeded", result
    assert result["first_progress_seconds"] is not None, result
    assert result["first_progress_seconds"] < 10, result
    assert result["requests_during_job"] > 10, result
    assert result["errors_during_job"] == 0, result["error_samples"]
