"""Compliance benchmark on a ledger made by gen_credits.py (run that first, once).

Measures, in one process after Django start-up:
  unit page    — GET /credits/org/<town>/ as the town's contact (≈500 cadres, ≈25,000 rows over
                 five years): the whole response, template included; and a county (≈5,000)
  CLI          — `ganxun compliance --year Y --json` for the root (province / city), in process
                 (call_command) and as a subprocess (Django start-up included)
  add entry    — services.entry_record (validation, INSERT, audit) and the check-in receiver's
                 path (ledger.write of one first version), each 200 times: median and p95
  storage      — the ledger table and each of its indexes, per million rows

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ganxun_bench_credits \\
        .venv/bin/python bench/bench_credits.py
    GANXUN_DATA_DIR=/tmp/ganxun-bench-credits .venv/bin/python bench/bench_credits.py
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ganxun.config.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.GANXUN_2FA_REQUIRED_ROLES = []  # the bench admin has no TOTP device
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ganxun.accounts.models import User
    from ganxun.core.scoping import unscoped
    from ganxun.credits.models import CreditEntry
    from ganxun.orgs.models import Org

    with unscoped():
        town = Org.objects.get(code="B0000")
        county = Org.objects.get(code="B000")
        rows = CreditEntry.objects.count()
    admin = User.objects.get(username="bench_admin")
    contact = User.objects.get(username="bench_contact")
    print(f"{connection.vendor}: {rows:,} ledger rows", flush=True)
    result = {"vendor": connection.vendor, "rows": rows}

    client = Client()
    client.force_login(contact)
    url = f"/credits/org/{town.pk}/?year={args.year}"
    warm = client.get(url)  # warm caches
    assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
    result["town_page"] = timed(lambda: client.get(url), args.runs)
    client.force_login(admin)
    url = f"/credits/org/{county.pk}/?year={args.year}"
    warm = client.get(url)
    assert warm.status_code == 200, (warm.status_code, warm.get("Location"))
    result["county_page"] = timed(lambda: client.get(url), args.runs)

    def cli():
        out = StringIO()
        call_command("compliance", "--year", str(args.year), "--json", stdout=out)
        result["cli_output_cadres"] = json.loads(out.getvalue())["cadres"]

    result["cli_in_process"] = timed(cli, max(1, args.runs // 2))
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/ganxun"), "compliance", "--year", str(args.year), "--json"],
        check=True,
        capture_output=True,
    )
    result["cli_subprocess"] = time.perf_counter() - started
    result.update(add_entry(contact, town))
    result["storage"] = storage(connection, rows)
    report(result)


def add_entry(contact, town) -> dict:
    from ganxun.core.scoping import unscoped
    from ganxun.credits import ledger
    from ganxun.credits.models import Channel
    from ganxun.credits.services import EntryData, entry_record
    from ganxun.orgs.models import Cadre

    with unscoped():
        cadres = list(Cadre.objects.filter(unit=town)[:200])
    service, receiver = [], []
    for n, cadre in enumerate(cadres):
        data = EntryData(cadre, date(2025, 6, 1), Decimal("2"), Channel.READING, "读书班", "基准")
        started = time.perf_counter()
        entry_record(actor=contact, data=data)
        service.append(time.perf_counter() - started)
        want = ledger.Desired(
            cadre_id=cadre.pk,
            source=f"session:bench{n}",
            hours=Decimal("4"),
            day=date(2025, 6, 2),
            channel=Channel.CENTRAL,
            title="基准课次",
        )
        started = time.perf_counter()
        ledger.write([ledger.first_version(want)])
        receiver.append(time.perf_counter() - started)
    return {"add_entry_service": service, "add_entry_receiver": receiver}


def storage(connection, rows: int) -> dict:
    out = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('credits_creditentry'), "
                "pg_total_relation_size('credits_creditentry')"
            )
            heap, total = cursor.fetchone()
            out["table"] = heap
            cursor.execute(
                "SELECT indexname, pg_relation_size(quote_ident(indexname)) FROM pg_indexes "
                "WHERE tablename = 'credits_creditentry'"
            )
            out["indexes"] = dict(cursor.fetchall())
            out["total"] = total
        else:
            cursor.execute("PRAGMA page_size")
            page = cursor.fetchone()[0]
            try:
                cursor.execute(
                    "SELECT name, SUM(pgsize) FROM dbstat WHERE name = 'credits_creditentry' "
                    "OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = "
                    "'credits_creditentry' AND type = 'index') GROUP BY name"
                )
                sizes = dict(cursor.fetchall())
                out["table"] = sizes.pop("credits_creditentry", 0)
                out["indexes"] = sizes
                out["total"] = out["table"] + sum(sizes.values())
            except Exception:  # dbstat is not compiled into every SQLite
                cursor.execute("PRAGMA page_count")
                out["total"] = cursor.fetchone()[0] * page
                out["note"] = "whole database file (dbstat unavailable)"
    out["per_million_rows_mb"] = round(out["total"] / rows * 1e6 / 2**20, 1) if rows else None
    return out


def report(result: dict) -> None:
    def ms(values):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"

    print(f"town page (contact):   {ms(result['town_page'])}")
    print(f"county page (admin):   {ms(result['county_page'])}")
    print(
        f"CLI root, in process:  {ms(result['cli_in_process'])} "
        f"({result['cli_output_cadres']:,} cadres)"
    )
    print(f"CLI root, subprocess:  {result['cli_subprocess']:.1f} s")
    print(f"add entry (service):   {ms(result['add_entry_service'])}")
    print(f"add entry (receiver):  {ms(result['add_entry_receiver'])}")
    s = result["storage"]
    print(
        f"storage: total {s['total'] / 2**20:.0f} MB, "
        f"{s['per_million_rows_mb']} MB per million rows"
    )
    if "table" in s:
        print(f"  table {s['table'] / 2**20:.0f} MB")
    for name, size in s.get("indexes", {}).items():
        print(f"  {name}: {size / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
