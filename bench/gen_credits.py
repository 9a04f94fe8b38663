"""Generate a credit-hour ledger for the compliance benchmark: an org tree, N cadres and
``rows_per_cadre`` ledger rows each over five years.

Tree: root (省) → cities → 10 counties each → 10 towns each; cadres spread evenly over the towns
with the rank mix of a real roster. Ledger rows: 集中培训 40 %, 网络培训 40 %, the other channels
20 %, 1.5–8 学时 each, dates uniform over the five years ending with ``year``.

PostgreSQL gets the rows by COPY, SQLite by executemany; the ledger's secondary indexes are
dropped before the load and built after it (faster than maintaining them row by row), then the
statistics are refreshed (VACUUM ANALYZE on PostgreSQL, so index-only scans work). Run once per
database; the benchmark reuses it:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ganxun_bench_credits \\
        .venv/bin/python bench/gen_credits.py --cadres 500000 --rows-per-cadre 50
    GANXUN_DATA_DIR=/tmp/ganxun-bench-credits .venv/bin/python bench/gen_credits.py \\
        --cadres 50000 --rows-per-cadre 50
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANKS = [  # (rank, share): a county-level roster is mostly 乡科级 and 一般干部
    ("county_main", 0.03),
    ("county_deputy", 0.07),
    ("section_main", 0.2),
    ("section_deputy", 0.25),
    ("general", 0.45),
]
CHANNELS = [1] * 8 + [2] * 8 + [3, 4, 5, 6]
COLUMNS = "cadre_id, day, hours, channel, title, source, ref_key, reason, created_at"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ganxun.config.settings.dev")
    import django

    django.setup()


def build_tree(cities: int):
    """Root → cities → 10 counties → 10 towns each; returns the towns."""
    from ganxun.orgs.services import _insert_org

    root = _insert_org(parent=None, code="BROOT", name="基准省", level="city")
    towns = []
    for c in range(cities):
        city = _insert_org(parent=root, code=f"B{c:02d}", name=f"基准市{c}", level="city")
        for k in range(10):
            county = _insert_org(
                parent=city, code=f"B{c:02d}{k}", name=f"基准县{c}-{k}", level="county"
            )
            for t in range(10):
                towns.append(
                    _insert_org(
                        parent=county,
                        code=f"B{c:02d}{k}{t}",
                        name=f"基准镇{c}-{k}-{t}",
                        level="township",
                    )
                )
    return root, towns


def insert_cadres(towns, total: int, rng: random.Random) -> list[int]:
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre

    ranks = [r for r, _ in RANKS]
    weights = [w for _, w in RANKS]
    batch, ids = [], []
    for n in range(total):
        born = date(1965, 1, 1) + timedelta(days=n % 12000)
        number = make_id_number(f"{110101 + n // 999:06d}", born, (n % 999) + 1)
        batch.append(
            Cadre(
                name=f"干部{n}",
                gender="M" if n % 2 else "F",
                id_number=number,
                id_tail=number[-4:],
                birth_date=born,
                unit=towns[n % len(towns)],
                position="科员",
                rank=rng.choices(ranks, weights)[0],
            )
        )
        if len(batch) == 5000:
            Cadre.objects.bulk_create(batch)
            batch = []
    if batch:
        Cadre.objects.bulk_create(batch)
    from ganxun.core.scoping import unscoped

    with unscoped():
        ids = list(Cadre.objects.order_by("pk").values_list("pk", flat=True))
    return ids


def ledger_rows(cadre_ids, per_cadre: int, year: int, rng: random.Random):
    """(cadre, day, hours, channel, title, source, ref_key, reason, created_at) tuples."""
    first = date(year - 4, 1, 1).toordinal()
    span = date(year, 12, 31).toordinal() - first
    stamp = "2025-01-01 00:00:00+00"
    n = 0
    for cid in cadre_ids:
        for _ in range(per_cadre):
            n += 1
            day = date.fromordinal(first + rng.randrange(span)).isoformat()
            hours = rng.randrange(3, 17) / 2
            source = f"bench:{n}"
            yield (
                cid,
                day,
                hours,
                rng.choice(CHANNELS),
                "基准课程",
                source,
                source + "/1",
                "",
                stamp,
            )


def drop_indexes(cursor, vendor: str) -> list[str]:
    """Drop the ledger's secondary indexes; return the statements that rebuild them."""
    rebuild = []
    if vendor == "postgresql":
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'credits_creditentry'::regclass "
            "AND contype = 'u'"
        )
        uniques = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'credits_creditentry' "
            "AND indexname NOT LIKE '%%_pkey'"
        )
        indexes = cursor.fetchall()
        for name in uniques:
            cursor.execute(f'ALTER TABLE credits_creditentry DROP CONSTRAINT "{name}"')
        for name, definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
            rebuild.append(definition)
        rebuild += [
            f'ALTER TABLE credits_creditentry ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"'
            for name in uniques
        ]
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'credits_creditentry' AND sql IS NOT NULL"
        )
        for name, sql in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            rebuild.append(sql)
    return rebuild


def load(cadre_ids, per_cadre: int, year: int, rng: random.Random) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        rebuild = drop_indexes(cursor, connection.vendor)
        rows = ledger_rows(cadre_ids, per_cadre, year, rng)
        if connection.vendor == "postgresql":
            # generated rows are valid by construction: skip the 25 million deferred FK checks
            cursor.execute("SET session_replication_role = replica")
            _copy(cursor, rows)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            _executemany(cursor, rows)
        print(f"  rows in: {time.perf_counter() - started:.0f} s", flush=True)
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for sql in rebuild:
            cursor.execute(sql)
        print(f"  indexes built: {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


def analyze() -> None:
    """Fresh statistics and (PostgreSQL) a visibility map, so index-only scans are used."""
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.connection.cursor() as raw:
            for table in ("credits_creditentry", "orgs_cadre", "orgs_org"):
                raw.execute(f"VACUUM ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _copy(cursor, rows) -> None:
    raw = cursor.cursor
    with raw.copy(f"COPY credits_creditentry ({COLUMNS}) FROM STDIN") as copy:
        buf = io.StringIO()
        for n, row in enumerate(rows, start=1):
            buf.write("\t".join(map(str, row)))
            buf.write("\n")
            if n % 200_000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
            if n % 5_000_000 == 0:
                print(f"  {n:,} rows", flush=True)
        copy.write(buf.getvalue())


def _executemany(cursor, rows) -> None:
    sql = f"INSERT INTO credits_creditentry ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    raw = cursor.cursor
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 100_000:
            raw.executemany(sql, chunk)
            chunk = []
    if chunk:
        raw.executemany(sql, chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=50_000)
    parser.add_argument("--rows-per-cadre", type=int, default=50)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--ledger-only", action="store_true", help="cadres exist already: load the ledger only"
    )
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import transaction

    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import Org

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if args.ledger_only:
        from ganxun.orgs.models import Cadre

        with unscoped():
            cadre_ids = list(Cadre.objects.order_by("pk").values_list("pk", flat=True))
        with transaction.atomic():
            seconds = load(cadre_ids, args.rows_per_cadre, args.year, rng)
        analyze()
        print(f"{len(cadre_ids) * args.rows_per_cadre:,} ledger rows: {seconds:.0f} s")
        return
    with unscoped():
        if Org.objects.exists():
            sys.exit("the database already has organizations: generate into an empty one")
    cities = max(1, args.cadres // 50_000)
    started = time.perf_counter()
    with unscoped(), transaction.atomic():
        _, towns = build_tree(cities)
        cadre_ids = insert_cadres(towns, args.cadres, rng)
        _admin(towns)
    print(f"tree and {len(cadre_ids):,} cadres: {time.perf_counter() - started:.0f} s", flush=True)
    with transaction.atomic():
        seconds = load(cadre_ids, args.rows_per_cadre, args.year, rng)
    analyze()
    print(f"{len(cadre_ids) * args.rows_per_cadre:,} ledger rows: {seconds:.0f} s", flush=True)


def _admin(towns) -> None:
    """bench_admin at the root and bench_contact of the first town (password Bench@2026)."""
    from django.contrib.auth.hashers import make_password

    from ganxun.accounts.models import Role, RoleGrant, User

    root = towns[0].parent.parent.parent
    for username, org, role in (
        ("bench_admin", root, Role.ADMIN),
        ("bench_contact", towns[0], Role.UNIT_CONTACT),
    ):
        user = User.objects.create(
            username=username,
            org=org,
            password=make_password("Bench@2026"),
            must_change_password=False,
        )
        RoleGrant.objects.create(user=user, role=role)


if __name__ == "__main__":
    main()
