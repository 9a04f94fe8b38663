"""Browser load time of every page of the demo city, as its city administrator sees it.

Given, not timed: a fresh SQLite database in a temporary folder (as ``make run``), migrated, the
demo city built (``ganxun demo --seed 1``: 1,794 organizations, 50,000 cadres), and
``ganxun runserver --noreload`` started as ``make run`` starts it.

Timed: Debian's chromium (headless, through Playwright) signs in as ``admin`` and walks the site
the way ``tests/test_page_weight.py`` does — every page without an id in its URL, then the links
found, one URL per route, GET only, no downloads — loading each page ``--repeat`` times. For each
page the navigation timing of the fastest-but-one load is kept (the first load warms caches):
the server's answer (``responseStart``), DOM ready and the ``load`` event, all measured from the
start of the navigation, plus the HTML size. Prints the slowest pages and the share under 1 s.

    .venv/bin/python bench/bench_browser.py [--repeat 3] [--limit 0] [--json] [--port 8132]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse
from urllib.request import urlopen

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import embedded_env, ganxun_cli  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "Ganxun@2026"
SKIP = re.compile(
    r"(export|download|\.xlsx|\.csv|\.docx|\.pdf|/qr/|logout|/i18n/|/api/|healthz|readyz|"
    r"metrics|favicon|/pick/|/s/|/verify/|/file/|/attachment|/media/|/static/|/full/)"
)
TIMING = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {server: n.responseStart, ready: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          bytes: n.transferSize || n.encodedBodySize};
}"""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def build_demo(env: dict) -> float:
    ganxun = ganxun_cli()
    subprocess.run([*ganxun, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    started = time.monotonic()
    subprocess.run(
        [*ganxun, "demo", "--seed", "1"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    return time.monotonic() - started


def start_server(env: dict, port: int) -> subprocess.Popen:
    ganxun = ganxun_cli()
    server = subprocess.Popen(
        [*ganxun, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the server did not answer within 2 minutes")


def start_urls(env: dict) -> list[str]:
    """The site's URL patterns without ids, read in a child process with the bench's settings."""
    code = (
        "import django, json; django.setup();"
        "from tests.test_scoping_http import walk;"
        "print(json.dumps(['/' + p for p in walk()]))"
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [u for u in json.loads(done.stdout) if "<" not in u and not SKIP.search(u)]


def route_key(path: str) -> str:
    """Ids become one placeholder, so /programs/1/ and /programs/2/ count as one route."""
    return re.sub(r"/\d+(?=/)", "/<id>", path)


def walk(page, base: str, starts: list[str], repeat: int, limit: int) -> list[dict]:
    queue, seen, routes, pages = deque(starts), set(), set(), []
    while queue and (not limit or len(pages) < limit):
        url = queue.popleft()
        key = route_key(urlparse(url).path)
        if url in seen or key in routes:
            continue
        seen.add(url)
        try:
            response = page.goto(base + url, wait_until="load")
        except PlaywrightError:  # an empty error answer (e.g. 405 to a GET) is not a page
            continue
        if (
            response is None
            or response.status != 200
            or urlparse(page.url).path != url.split("?")[0]
        ):
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        routes.add(key)
        timings = [page.evaluate(TIMING)]
        for _ in range(repeat - 1):
            page.reload(wait_until="load")
            timings.append(page.evaluate(TIMING))
        timings.sort(key=lambda t: t["load"])
        kept = timings[min(1, len(timings) - 1)]
        pages.append({"url": url, **{k: round(v) for k, v in kept.items()}})
        for href in page.eval_on_selector_all(
            "a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
        ):
            link = urldefrag(href)[0]
            if link and not SKIP.search(link) and link not in seen:
                queue.append(link)
    return pages


def summary(pages: list[dict], demo_seconds: float) -> dict:
    loads = [p["load"] for p in pages]
    slow = sorted(pages, key=lambda p: -p["load"])
    return {
        "pages": len(pages),
        "demo_seconds": round(demo_seconds, 1),
        "load_p50_ms": round(statistics.median(loads)),
        "load_p95_ms": round(statistics.quantiles(loads, n=20)[-1]) if len(loads) > 1 else loads[0],
        "under_1s": sum(1 for v in loads if v < 1000),
        "load_average": os.getloadavg()[0],
        "slowest": slow[:15],
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="stop after this many pages (0: all)")
    parser.add_argument("--port", type=int, default=8132)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="ganxun-bench-browser-"))
    env = embedded_env(data_dir)
    server = None
    try:
        demo_seconds = build_demo(env)
        starts = start_urls(env)
        server = start_server(env, args.port)
        base = f"http://127.0.0.1:{args.port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1366, "height": 860}, locale="zh-CN")
            page.set_default_timeout(120_000)
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            pages = walk(page, base, starts, args.repeat, args.limit)
            browser.close()
    finally:
        if server:
            server.terminate()
        shutil.rmtree(data_dir, ignore_errors=True)
    result = summary(pages, demo_seconds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"{result['pages']} pages; load p50 {result['load_p50_ms']} ms, "
            f"p95 {result['load_p95_ms']} ms; {result['under_1s']} under 1 s "
            f"(load average {result['load_average']:.1f})"
        )
        for p in result["slowest"]:
            print(
                f"  load {p['load']:6d} ms  server {p['server']:6d} ms  "
                f"{p['bytes'] / 1024:5.1f} KB  {p['url']}"
            )
    return result


if __name__ == "__main__":
    main()
