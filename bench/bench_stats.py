"""Statistics dashboard benchmark: how long the dashboard of the province, a city and a county
takes on the data of bench/gen_stats.py (run that first, once).

For each node: the whole page (GET /stats/?org=…&year=… through Django's test client, signed in
as bench_admin: every query, template and chart JSON — the compliance panel is a request of
its own that the page makes after loading, timed apart), the report selector alone with and
without the panels of other apps, and the compliance panel (credits' ``compliance_summary``)
alone. Median of ``--runs`` after one warm-up run; the database's own cache is warm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ganxun_bench_stats \\
        .venv/bin/python bench/bench_stats.py --year 2025 --runs 5
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_credits import setup_django  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float, float]:
    fn()  # warm-up: connection, templates, plan cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", default="province,city,county", help="which of the three")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from ganxun.accounts.models import User
    from ganxun.core.scoping import unscoped
    from ganxun.credits.selectors import compliance_summary
    from ganxun.orgs.models import Cadre, Org
    from ganxun.stats.period import Period
    from ganxun.stats.report import stats_report

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.GANXUN_2FA_REQUIRED_ROLES = []  # bench_admin has no authenticator; as in tests
    period = Period.of_year(args.year)
    admin = User.objects.get(username="bench_admin")
    client = Client()
    client.force_login(admin)
    with unscoped():
        root = Org.objects.get(code="BROOT")
        nodes = [("province", root), ("city", Org.objects.get(code="B00"))]
        nodes.append(("county", Org.objects.get(code="B000")))
        sizes = {
            label: Cadre.objects.filter(unit__path__startswith=node.path).count()
            for label, node in nodes
        }
    print(
        f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
    )
    head = "| node | cadres | page | report | report without panels | compliance panel"
    print(head + " | 参训人次 | 到课人次 |")
    print("|---|---|---|---|---|---|---|---|")
    for label, node in nodes:
        if label not in args.nodes.split(","):
            continue
        url = f"/stats/?org={node.pk}&year={args.year}"

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        with unscoped():
            report = stats_report(node, period)
            full = timed(lambda node=node: stats_report(node, period), args.runs)
            # the page: everything but compliance, which its own request loads after the page
            bare = timed(
                lambda node=node: stats_report(node, period, panels_wanted=False), args.runs
            )
            comp = timed(lambda node=node: compliance_summary(node, args.year), args.runs)
        shown = timed(page, args.runs)
        print(
            f"| {label} {node.name} | {sizes[label]:,} | {_fmt(shown)} | {_fmt(full)} | "
            f"{_fmt(bare)} | {_fmt(comp)} | {report.total.person_times:,} | "
            f"{report.total.attendances:,} |",
            flush=True,
        )


def _fmt(t: tuple[float, float, float]) -> str:
    median, low, high = t
    return f"**{median * 1000:.0f} ms** ({low * 1000:.0f}–{high * 1000:.0f})"


if __name__ == "__main__":
    main()
