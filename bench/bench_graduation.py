"""Graduation-table benchmark: a large program's 过关斩将 for every trainee, and the four-level
summary.

A fresh database (temp SQLite file, or a new PostgreSQL database) is migrated and given, not
timed: 2,000 trainees in 40 units, 40 held sessions (one batch each half), about 88 % of the
expected attendances checked in, 3 % approved leave, one outcome per five trainees, 300
follow-ups, a graduation rule (80 % attendance, an outcome submitted, post-tests passed).

Timed: ``progress.program_progress`` for all 2,000 trainees (what the organizer's graduation
page computes), ``summary.program_summary``, and ``graduates_confirm`` of every trainee (issue
about 1,500 certificates in one transaction). Target: the graduation table under 2 s.

    .venv/bin/python bench/bench_graduation.py [--trainees 2000] [--repeat 5]
    .venv/bin/python bench/bench_graduation.py --postgres postgres://postgres@127.0.0.1:5432
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

DATABASE = "ganxun_bench_graduation"
SESSIONS = 40
UNITS = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="server URL without a database name")
    args = parser.parse_args()
    with scratch_django(DATABASE, args.postgres):
        run(args)


def run(args) -> None:
    from django.db import connection

    from ganxun.core.scoping import unscoped

    with unscoped():
        world = build(args.trainees)
        print(f"database: {connection.vendor}; built {world['summary']}")
        measure(world, args.repeat)


def build(n: int) -> dict:
    from django.utils import timezone

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.checkin.models import Attendance
    from ganxun.enrollment.models import LeaveRequest
    from ganxun.evaluations.models import Assessment, AssessmentAttempt
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.services import _insert_org
    from ganxun.outcomes.models import FollowUp, GraduationRule, Outcome
    from ganxun.programs.models import Program, ProgramTrainee, Session

    rng = random.Random(11)
    city = _insert_org(parent=None, code="G0", name="基准市", level="city")
    county = _insert_org(parent=city, code="G1", name="基准县", level="county")
    units = [
        _insert_org(parent=county, code=f"G1{i:03d}", name=f"基准镇{i}", level="township")
        for i in range(UNITS)
    ]
    seen, cadres = set(), []
    for i in range(n):
        born = date(1975 + i % 20, 1 + i % 12, 1 + i % 28)
        k = i
        while (idn := make_id_number(f"{330201 + k // 999:06d}", born, k % 999 + 1)) in seen:
            k += n
        seen.add(idn)
        cadres.append(
            Cadre(
                name=f"学员{i}",
                gender="M",
                id_number=idn,
                id_tail=idn[-4:],
                birth_date=born,
                unit=units[i % UNITS],
                rank="general",
            )
        )
    Cadre._base_manager.bulk_create(cadres, batch_size=500)
    cadres = list(Cadre._base_manager.order_by("pk"))
    user = User.objects.create(username="bench", org=county, display_name="教务")
    RoleGrant.objects.create(user=user, role=Role.ORGANIZER)
    start = date(2025, 1, 4)
    program = Program._base_manager.create(
        org=county,
        name="基准项目",
        start_date=start,
        end_date=start + timedelta(days=7 * SESSIONS),
        batch_count=2,
        created_by=user,
    )
    trainees = ProgramTrainee._base_manager.bulk_create(
        [ProgramTrainee(program=program, cadre=c, batch=1 + i % 2) for i, c in enumerate(cadres)],
        batch_size=1000,
    )
    sessions = []
    for i in range(SESSIONS):
        day = start + timedelta(days=7 * i)
        begins = timezone.make_aware(datetime(day.year, day.month, day.day, 9))
        sessions.append(
            Session(
                program=program,
                title=f"第{i + 1}讲",
                starts_at=begins,
                ends_at=begins + timedelta(hours=3),
                batch=None if i % 4 == 0 else 1 + i % 2,
            )
        )
    sessions = Session._base_manager.bulk_create(sessions)
    marks, leaves = [], []
    for s in sessions:
        for t in trainees:
            if s.batch and s.batch != t.batch:
                continue
            roll = rng.random()
            if roll < 0.88:
                marks.append(
                    Attendance(
                        session=s, cadre_id=t.cadre_id, checked_in_at=s.starts_at, method="qr"
                    )
                )
            elif roll < 0.91:
                leaves.append(
                    LeaveRequest(session=s, cadre_id=t.cadre_id, reason="公务", status="approved")
                )
    Attendance._base_manager.bulk_create(marks, batch_size=2000)
    LeaveRequest._base_manager.bulk_create(leaves, batch_size=2000)
    test = Assessment._base_manager.create(
        program=program, kind="post", title="后测", status="closed", created_by=user
    )
    AssessmentAttempt._base_manager.bulk_create(
        [
            AssessmentAttempt(
                assessment=test,
                cadre=c,
                score=(p := rng.randint(40, 100)),
                max_score=100,
                percent=p,
                passed=p >= 60,
            )
            for c in cadres
        ],
        batch_size=1000,
    )
    now = timezone.now()
    outcomes = Outcome._base_manager.bulk_create(
        [
            Outcome(
                program=program,
                unit=c.unit,
                title=f"成果{i}",
                kind=rng.choice(Outcome.Kind.values),
                change="变化",
                status=rng.choice(["submitted", "accepted", "accepted"]),
                effect_value=rng.randint(1, 50),
                effect_unit=rng.choice(["个", "万元", "件"]),
                submitted_by=user,
                submitted_at=now,
            )
            for i, c in enumerate(cadres[::5])
        ]
    )
    Outcome.cadres.through.objects.bulk_create(
        [
            Outcome.cadres.through(outcome=o, cadre=c)
            for o, c in zip(outcomes, cadres[::5], strict=True)
        ]
    )
    # Every trainee needs an outcome for the rule; the rest share one unit-level outcome each.
    extra = Outcome._base_manager.create(
        program=program,
        unit=county,
        title="全县成果",
        kind="other",
        change="变化",
        status="submitted",
        submitted_by=user,
        submitted_at=now,
    )
    named = {c.pk for c in cadres[::5]}
    Outcome.cadres.through.objects.bulk_create(
        [Outcome.cadres.through(outcome=extra, cadre=c) for c in cadres if c.pk not in named],
        batch_size=1000,
    )
    FollowUp._base_manager.bulk_create(
        [
            FollowUp(
                program=program,
                visited_on=program.end_date,
                visitors="调研组",
                applied="应用",
                rating=rng.randint(2, 5),
                created_by=user,
            )
            for _ in range(300)
        ]
    )
    GraduationRule._base_manager.create(
        program=program,
        min_attendance=0.8,
        require_tests=True,
        outcome="submitted",
        issuer="基准县委组织部",
        updated_by=user,
    )
    summary = (
        f"{n:,} trainees, {SESSIONS} sessions, {len(marks):,} attendances, "
        f"{len(leaves):,} approved leaves, {len(outcomes) + 1:,} outcomes"
    )
    return {"user": user, "program": program, "summary": summary}


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def measure(world: dict, repeat: int) -> None:
    from ganxun.outcomes import progress, services
    from ganxun.outcomes.summary import program_summary

    program, user = world["program"], world["user"]
    rule = services.rule_for(program)

    def table():
        return progress.program_progress(program, rule, progress.trainees_of(program))

    seconds, rows = _timed(table, repeat)
    ready = [r.trainee.cadre_id for r in rows if r.ready]
    print(f"graduation table, {len(rows):,} trainees: median {seconds * 1000:.0f} ms")
    seconds, _summary = _timed(lambda: program_summary(program), repeat)
    print(f"four-level summary: median {seconds * 1000:.0f} ms")
    began = time.perf_counter()
    result = services.graduates_confirm(actor=user, program=program, cadre_ids=ready)
    took = time.perf_counter() - began
    print(f"graduates_confirm, {len(result.issued):,} certificates issued: {took:.2f} s")


if __name__ == "__main__":
    main()
