"""What the benchmarks share: a scratch, migrated database (SQLite in a temporary folder, or a
fresh PostgreSQL database dropped afterwards) and Django set up on it; for the ones that run the
site as separate processes, the embedded setup's environment and the ``ganxun`` command."""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
GANXUN = str(ROOT / ".venv" / "bin" / "ganxun")


def embedded_env(data_dir: Path) -> dict:
    """The environment of ``make run`` (SQLite in ``data_dir``, dev settings) for server and
    worker processes, with the rate limits and 2FA off so load clients are not refused."""
    env = {
        **os.environ,
        "GANXUN_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev",
        "GANXUN_RATELIMITS_ENABLED": "0",
        "GANXUN_2FA_REQUIRED_ROLES": "",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    return env


def ganxun_cli() -> list[str]:
    """``ganxun`` run by this interpreter (the project's virtualenv when benches run from it)."""
    return [sys.executable, "-m", "ganxun.config.cli"]


def print_result(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


@contextmanager
def scratch_django(database: str, postgres: str | None) -> Iterator[None]:
    """Migrate an empty database named ``database`` (on the server ``postgres`` when given, else
    SQLite), set Django up on it, and remove it at the end."""
    with tempfile.TemporaryDirectory(prefix=f"{database}-") as data_dir:
        os.environ["GANXUN_DATA_DIR"] = data_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "ganxun.config.settings.dev"
        os.environ.pop("DATABASE_URL", None)
        host = None
        if postgres:
            host = urlparse(postgres).hostname or "127.0.0.1"
            subprocess.run(["createdb", "-h", host, "-U", "postgres", database], check=True)
            os.environ["DATABASE_URL"] = postgres.rstrip("/") + "/" + database
        try:
            subprocess.run([GANXUN, "migrate", "-v0"], check=True, env=os.environ)
            sys.path.insert(0, str(ROOT))
            import django

            django.setup()
            yield
        finally:
            if host:
                from django.db import connections

                connections.close_all()  # dropdb refuses while this process is connected
                subprocess.run(["dropdb", "-h", host, "-U", "postgres", database], check=True)
