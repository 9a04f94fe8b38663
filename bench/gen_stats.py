"""Generate province-scale training data for the statistics benchmark.

The org tree and the cadres come from the credits benchmark's generator (bench/gen_credits.py:
root 基准省 → cities → 10 counties → 10 towns; cadres spread evenly over the towns). On top:
~5,000 programs of ``--year`` (10 % run by the province, 30 % by cities, 60 % by counties, every
channel), one themed unit and 8 sessions each (every teaching form), ~120 trainees per program
drawn from the organizer's subtree, and ~2,000,000 attendance rows (50 of the trainees at each
session). Programs, units and sessions go through ``bulk_create``; trainees and attendance by COPY.
Column lists are read from the models, so fields other helpers add keep their defaults.

    createdb -h 127.0.0.1 -U postgres ganxun_bench_stats
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ganxun_bench_stats \\
        .venv/bin/python bench/gen_stats.py --cadres 500000 --programs 5000 --attendance 2000000
"""

import argparse
import io
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_credits import _admin, build_tree, insert_cadres, setup_django  # noqa: E402

SESSIONS_PER_PROGRAM = 8
THEMES = [
    ("理想信念", "#b3261e"),
    ("经济建设", "#2e7d32"),
    ("社会治理", "#1565c0"),
    ("综合能力", "#c49000"),
]
BRANDS = ["周末知行学堂", "铁肩计划", "智慧方舟", "青年干部培训班", "乡村振兴专题班", ""]


def plan_programs(root, towns, count: int, year: int, rng: random.Random):
    """(org, towns under it) for each program: province 10 %, cities 30 %, counties 60 %."""
    counties = sorted({t.parent for t in towns}, key=lambda o: o.pk)
    cities = sorted({c.parent for c in counties}, key=lambda o: o.pk)
    towns_of = {}
    for t in towns:
        towns_of.setdefault(t.parent_id, []).append(t)
    city_towns = {
        c.pk: [t for k in counties if k.parent_id == c.pk for t in towns_of[k.pk]] for c in cities
    }
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            out.append((root, towns))
        elif roll < 0.4:
            city = rng.choice(cities)
            out.append((city, city_towns[city.pk]))
        else:
            county = rng.choice(counties)
            out.append((county, towns_of[county.pk]))
    return out


def create_programs(plan, year: int, admin, themes, rng):
    from ganxun.catalog.models import TeachingForm
    from ganxun.programs.models import Channel, Program, ProgramUnit, Session

    programs = []
    for n, (org, _towns) in enumerate(plan):
        start = date(year, 1, 1) + timedelta(days=rng.randrange(330))
        brand = rng.choice(BRANDS)
        programs.append(
            Program(
                org=org,
                name=f"{brand or '专题培训班'}{n}",
                brand=brand,
                cohort=n % 9 + 1,
                start_date=start,
                end_date=start + timedelta(days=30),
                channel=rng.choice(Channel.values),
                created_by=admin,
            )
        )
    Program.objects.bulk_create(programs, batch_size=2000)
    units = [
        ProgramUnit(
            program=p,
            seq=1,
            title="第一单元",
            theme=rng.choice(themes),
            start_date=p.start_date,
            end_date=p.end_date,
        )
        for p in programs
    ]
    ProgramUnit.objects.bulk_create(units, batch_size=2000)
    sessions = []
    forms = TeachingForm.values
    for p, u in zip(programs, units, strict=True):
        for k in range(SESSIONS_PER_PROGRAM):
            starts = datetime.combine(p.start_date + timedelta(days=3 * k), clock(1), tzinfo=UTC)
            sessions.append(
                Session(
                    program=p,
                    unit=u,
                    title=f"课次{k + 1}",
                    form=rng.choice(forms),
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                )
            )
    Session.objects.bulk_create(sessions, batch_size=5000)
    return programs, sessions


def copy_rows(model, rows, given: list[str]) -> int:
    """COPY ``rows`` (tuples of the ``given`` columns) into the model's table; other columns get
    the model's defaults (NULL for nullable fields without one)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    extra = [f for f in fields if f.column not in given]
    columns = given + [f.column for f in extra]
    tail = []
    for f in extra:
        value = f.get_default() if f.has_default() else None
        if value is None and not f.null and hasattr(f, "auto_now_add") and f.auto_now_add:
            value = "2025-01-01 00:00:00+00"
        tail.append(
            "\\N"
            if value is None
            else ("t" if value is True else "f" if value is False else str(value))
        )
    suffix = ("\t" + "\t".join(tail)) if tail else ""
    n = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        ) as copy,
    ):
        buf = io.StringIO()
        for n, row in enumerate(rows, start=1):
            buf.write("\t".join(map(str, row)) + suffix + "\n")
            if n % 200_000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=500_000)
    parser.add_argument("--programs", type=int, default=5_000)
    parser.add_argument("--attendance", type=int, default=2_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ganxun.accounts.models import User
    from ganxun.catalog.models import Theme
    from ganxun.checkin.models import Attendance
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import Org
    from ganxun.programs.models import ProgramTrainee

    if connection.vendor != "postgresql":
        sys.exit("the statistics benchmark data is loaded by COPY: use PostgreSQL")
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with unscoped():
        if Org.objects.exists():
            sys.exit("the database already has organizations: generate into an empty one")
        with transaction.atomic():
            root, towns = build_tree(max(1, args.cadres // 50_000))
            cadre_ids = insert_cadres(towns, args.cadres, rng)
            _admin(towns)
        print(
            f"tree and {len(cadre_ids):,} cadres: {time.perf_counter() - started:.0f} s", flush=True
        )
        admin = User.objects.get(username="bench_admin")
        themes = [Theme.objects.create(owner=root, name=n, color=c) for n, c in THEMES]
        plan = plan_programs(root, towns, args.programs, args.year, rng)
        with transaction.atomic():
            programs, sessions = create_programs(plan, args.year, admin, themes, rng)
        seconds = time.perf_counter() - started
        print(
            f"{len(programs):,} programs, {len(sessions):,} sessions: {seconds:.0f} s", flush=True
        )
        per_session = max(1, args.attendance // len(sessions))
        trainees_per_program = max(per_session * 12 // 5, per_session)
        town_index = {t.pk: i for i, t in enumerate(towns)}
        n_towns = len(towns)
        per_town = len(cadre_ids) // n_towns
        roster: dict[int, list[int]] = {}
        for program, (_org, its_towns) in zip(programs, plan, strict=True):
            chosen: set[int] = set()
            while len(chosen) < trainees_per_program:
                town = town_index[rng.choice(its_towns).pk]
                chosen.add(cadre_ids[town + n_towns * rng.randrange(per_town)])
            roster[program.pk] = sorted(chosen)
        stamp = "2025-01-01 00:00:00+00"
        with transaction.atomic():
            pt = copy_rows(
                ProgramTrainee,
                ((pid, cid, stamp) for pid, ids in roster.items() for cid in ids),
                ["program_id", "cadre_id", "added_at"],
            )
            print(f"{pt:,} trainees: {time.perf_counter() - started:.0f} s", flush=True)

            def attendance():
                for s in sessions:
                    at = s.starts_at.isoformat()
                    for cid in rng.sample(roster[s.program_id], per_session):
                        yield (s.pk, cid, at, "qr")

            att = copy_rows(
                Attendance, attendance(), ["session_id", "cadre_id", "checked_in_at", "method"]
            )
        print(f"{att:,} attendance rows: {time.perf_counter() - started:.0f} s", flush=True)
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as raw:
        raw.execute("VACUUM ANALYZE")
    print(f"done in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
