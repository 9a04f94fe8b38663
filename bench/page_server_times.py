"""Server time of the demo's slowest pages as the city administrator (issue 19 item 4).

Django's test client in one process against a built demo (no network, no browser): per page a
warm-up request, then the median and the minimum of N requests, the query count and the size.

    GANXUN_DATA_DIR=/tmp/demo DJANGO_SETTINGS_MODULE=ganxun.config.settings.dev PYTHONPATH=. \\
        python bench/page_server_times.py [URL ...]        # N=5 by default

Run the same against two checkouts (PYTHONPATH) and two copies of one demo, page by page
interleaved, to compare before and after on a noisy box: see docs/benchmarks.md.
"""

import os
import statistics
import sys
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = [
    "/credits/org/1/?year=2026",
    "/stats/annual/",
    "/stats/",
    "/stats/compliance/",
    "/enrollment/quotas/1/",
    "/needs/1/respondents/slips/",
    "/checkin/sessions/1/absences/",
    "/checkin/sessions/1/board/",
    "/needs/1/analysis/",
    "/cadres/?status=active",
    "/",
]


def main(urls: list[str], n: int) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="admin"))
    for url in urls:
        client.get(url)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{url:40s} {response.status_code} median {statistics.median(times):6.0f} ms"
            f"  min {min(times):6.0f} ms  queries {len(ctx.captured_queries):3d}"
            f"  bytes {len(response.content)}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:] or PAGES, int(os.environ.get("N", "5")))
