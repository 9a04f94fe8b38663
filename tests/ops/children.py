"""Child processes for the fault and two-process tests: Django scripts and servers that use the
test database (PostgreSQL) with the database task backend, as production does."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def child_env(data_dir: Path, **extra) -> dict:
    """Production-like settings (dev: database task backend) on the current test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev",
        "DATABASE_URL": f"{url}/{db['NAME']}",
        "GANXUN_DATA_DIR": str(data_dir),
        "GANXUN_WORKER_STALE_SECONDS": "1",
        "GANXUN_RATELIMITS_ENABLED": "0",  # every test request comes from one address
        "PYTHONPATH": str(ROOT),
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


def django(code: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.run(
        [PYTHON, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def worker(
    env: dict, prelude: str = "", after: str = "", timeout: float = 120
) -> subprocess.CompletedProcess:
    """`ganxun worker --batch`: runs what is queued (after recovering lost jobs), then exits.
    ``prelude`` and ``after`` run in the same process (one Django start-up instead of three)."""
    run = """
    from django.core.management import call_command
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload",
                 "-v", "0")
    """
    code = textwrap.dedent(prelude) + textwrap.dedent(run) + textwrap.dedent(after)
    return django(code, env, timeout=timeout)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict, port: int, workers: int = 2) -> subprocess.Popen:
    """One app process as deploy/ganxun-web@.service runs it (gunicorn on loopback)."""
    command = [
        str(BIN / "gunicorn"),
        "ganxun.config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--threads=4",
        "--timeout=60",
        "--log-level=warning",
    ]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def start_worker(env: dict) -> subprocess.Popen:
    command = [str(BIN / "ganxun"), "worker", "--no-startup-delay", "--interval=0.2", "--no-reload"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def wait_ready(port: int, timeout: float = 90) -> None:
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"no app answered on port {port}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """Cookies kept across requests and across the app processes (same host, other port)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, *, form=None, json_body=None, headers=None, timeout=15):
        import http.client
        import json
        from urllib.parse import urlencode

        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            sent["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request(method, path, body, sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.headers, content

    @property
    def csrf(self) -> str:
        from django.conf import settings

        return self.cookies.get(settings.CSRF_COOKIE_NAME, "")

    @property
    def session(self) -> str:
        from django.conf import settings

        return self.cookies.get(settings.SESSION_COOKIE_NAME, "")

    def login(self, port, username, password) -> int:
        self.request(port, "GET", "/accounts/login/")
        status, _headers, _ = self.request(
            port,
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": self.csrf,
                "username": username,
                "password": password,
            },
        )
        return status
