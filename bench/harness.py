"""What the in-process benchmarks share: a scratch, migrated database (SQLite in a temporary
folder, or a fresh PostgreSQL database dropped afterwards) and Django set up on it."""

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
