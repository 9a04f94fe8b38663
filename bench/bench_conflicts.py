"""Conflict-check benchmark: one change to a session of a 300-session program, checked.

A fresh database (temp SQLite file, or a new PostgreSQL database) is migrated and given, not
timed: a county of 40 units with 3,000 cadres, 30 lecturers, a main classroom and 5 video
sub-classrooms; program A with 300 sessions over a year (two batches, each session with 1–2
lecturers, the main classroom and the sub-classrooms) and all 3,000 cadres as trainees;
program B with 300 sessions at the same hours and 1,500 of the same cadres, so every trainee
check has real overlap to find.

Timed: ``session_save`` of a random session of program A moved to another hour of its day —
validation, every conflict check (lecturers, classrooms, capacity, 3,000 trainees against
program B), the write and the audit entry, in its transaction. Changes that hit a blocking
conflict are refused (still a full check) and counted apart. Also timed: ``conflicts.check``
alone. Target: under 200 ms per change.

    .venv/bin/python bench/bench_conflicts.py [--changes 100]
    .venv/bin/python bench/bench_conflicts.py --postgres postgres://postgres@127.0.0.1:5432
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import scratch_django

DATABASE = "ganxun_bench_conflicts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--postgres", metavar="URL", help="server URL without a database name")
    args = parser.parse_args()
    with scratch_django(DATABASE, args.postgres):
        run(args)


def run(args) -> None:
    from django.db import connection

    from ganxun.core.scoping import unscoped

    with unscoped():
        world = build()
    print(f"database: {connection.vendor}; built {world['summary']}")
    timings = measure(world, args.changes)
    report(timings)


def build() -> dict:
    from django.utils import timezone

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.catalog.models import Lecturer
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.services import _insert_org
    from ganxun.programs.models import Program, ProgramTrainee, Session, Venue

    city = _insert_org(parent=None, code="B0", name="基准市", level="city")
    county = _insert_org(parent=city, code="B1", name="基准县", level="county")
    units = [
        _insert_org(parent=county, code=f"B1{i:03d}", name=f"基准镇{i}", level="township")
        for i in range(40)
    ]
    cadres = [
        Cadre(
            name=f"干部{i}",
            gender="M",
            id_number=(idn := make_id_number("330201", date(1980, 1, 1 + i % 28), i % 999 + 1)),
            id_tail=idn[-4:],
            birth_date=date(1980, 1, 1 + i % 28),
            unit=units[i % 40],
            rank="general",
            leader_role="secretary" if i < 40 else "head" if i < 80 else "",
        )
        for i in range(3000)
    ]
    _unique_ids(cadres)
    Cadre._base_manager.bulk_create(cadres, batch_size=500)
    cadres = list(Cadre._base_manager.all())
    user = User.objects.create(username="bench", org=county, display_name="教务")
    RoleGrant.objects.create(user=user, role=Role.ORGANIZER)
    lecturers = Lecturer._base_manager.bulk_create(
        [Lecturer(owner=county, name=f"教师{i}") for i in range(30)]
    )
    hall = Venue._base_manager.create(owner=county, name="主课堂", capacity=2000)
    subs = Venue._base_manager.bulk_create(
        [
            Venue(owner=county, name=f"分课堂{i}", kind="video", capacity=300, serves=units[i])
            for i in range(5)
        ]
    )
    start = date(2030, 1, 1)
    programs = []
    for name, members in (("A", cadres), ("B", cadres[:1500])):
        program = Program._base_manager.create(
            org=county,
            name=f"项目{name}",
            start_date=start,
            end_date=start + timedelta(days=364),
            batch_count=2,
            created_by=user,
        )
        ProgramTrainee._base_manager.bulk_create(
            [
                ProgramTrainee(program=program, cadre=c, batch=1 + i % 2)
                for i, c in enumerate(members)
            ],
            batch_size=500,
        )
        programs.append(program)
    rng = random.Random(7)
    for k, program in enumerate(programs):
        sessions = []
        for i in range(300):
            day = start + timedelta(days=i)
            begins = timezone.make_aware(datetime(day.year, day.month, day.day, 9 + 4 * k))
            sessions.append(
                Session(
                    program=program,
                    title=f"{program.name}第{i + 1}讲",
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=3),
                    batch=1 + i % 2,
                    main_venue=hall if k == 0 else None,
                )
            )
        sessions = Session._base_manager.bulk_create(sessions)
        links = []
        venue_links = []
        for s in sessions:
            for lec in rng.sample(lecturers, rng.choice((1, 2))):
                links.append(Session.lecturers.through(session=s, lecturer=lec))
            if k == 0:
                venue_links += [Session.sub_venues.through(session=s, venue=v) for v in subs]
        Session.lecturers.through.objects.bulk_create(links)
        Session.sub_venues.through.objects.bulk_create(venue_links)
    summary = "2 programs × 300 sessions, 3,000 + 1,500 trainees, 30 lecturers, 6 classrooms"
    return {"user": user, "program": programs[0], "summary": summary, "rng": rng}


def _unique_ids(cadres) -> None:
    """make_id_number's sequence repeats across days; keep the first of each number."""
    seen = set()
    for i, c in enumerate(cadres):
        while c.id_number in seen:
            from ganxun.orgs.idcard import make_id_number

            c.id_number = make_id_number("330202", c.birth_date, (i * 7 + len(seen)) % 999 + 1)
            c.id_tail = c.id_number[-4:]
        seen.add(c.id_number)


def measure(world: dict, changes: int) -> dict:
    from ganxun.core.scoping import unscoped
    from ganxun.programs import conflicts, services
    from ganxun.programs.models import Session
    from ganxun.programs.services.sessions import ConflictError, SessionData, candidate

    user, program, rng = world["user"], world["program"], world["rng"]
    with unscoped():
        ids = list(Session._base_manager.filter(program=program).values_list("pk", flat=True))
    saved, refused, check_only = [], [], []
    for _ in range(changes):
        with unscoped():
            s = Session._base_manager.select_related("program", "main_venue").get(
                pk=rng.choice(ids)
            )
            lecturers = list(s.lecturers.all())
            subs = list(s.sub_venues.all())
        shift = timedelta(hours=rng.choice((-1, 1, 2, 4)))
        data = SessionData(
            starts_at=s.starts_at + shift,
            ends_at=s.ends_at + shift,
            title=s.title,
            lecturers=lecturers,
            main_venue=s.main_venue,
            sub_venues=subs,
            batch=s.batch,
        )
        started = time.perf_counter()
        conflicts.check([candidate(program, data, s.pk)], actor=user)
        check_only.append(time.perf_counter() - started)
        started = time.perf_counter()
        try:
            services.session_save(
                actor=user, program=program, session=s, data=data, accept_warnings=True
            )
        except ConflictError:
            refused.append(time.perf_counter() - started)
        else:
            saved.append(time.perf_counter() - started)
    return {"saved": saved, "refused": refused, "check": check_only}


def report(timings: dict) -> None:
    print("| what | n | median | p95 | max |")
    print("|---|---|---|---|---|")
    for name, label in (
        ("saved", "change saved (check + write + audit)"),
        ("refused", "change refused by a blocking conflict"),
        ("check", "conflicts.check alone"),
    ):
        values = sorted(timings[name])
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"| {label} | {len(values)} | **{statistics.median(values) * 1000:.0f} ms** | "
            f"{p95 * 1000:.0f} ms | {values[-1] * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
