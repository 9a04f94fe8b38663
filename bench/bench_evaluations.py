"""Evaluation results benchmark: the figures of a large program, and one form submitted.

A fresh database (temp SQLite file, or a new PostgreSQL database) is migrated and given, not
timed: a county of 40 units, N cadres (default 2,000) as trainees of one program with S
sessions (default 40), every trainee checked in to every session (N×S attendances) and four in
five of them having filled the default form (5 ratings + a suggestion in one of three): with
the defaults 80,000 attendances, 64,000 forms, about 405,000 answers.

Timed (median of R runs): ``program_reaction`` (the four-level summary's reaction figures),
``program_results`` (per-question means and distributions, lecturer/course/unit rankings,
monthly trend, suggestions), ``program_sessions_rates`` (the live response-rate table),
``satisfaction_trend`` for the county, and one ``evaluation_submit`` (a new form, then an edit).

    .venv/bin/python bench/bench_evaluations.py [--cadres 2000] [--sessions 40] [--runs 5]
    .venv/bin/python bench/bench_evaluations.py --postgres postgres://postgres@127.0.0.1:5432
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

DATABASE = "ganxun_bench_evaluations"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="server URL without a database name")
    args = parser.parse_args()
    with scratch_django(DATABASE, args.postgres):
        run(args)


def run(args) -> None:
    from django.db import connection

    from ganxun.core.scoping import unscoped

    started = time.perf_counter()
    with unscoped():
        world = build(args.cadres, args.sessions)
    print(
        f"database: {connection.vendor}; built {world['summary']} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    report(measure(world, args.runs))


def build(n_cadres: int, n_sessions: int) -> dict:
    from django.utils import timezone

    from ganxun.accounts.models import Role, RoleGrant, User
    from ganxun.catalog.models import Lecturer
    from ganxun.checkin.models import Attendance
    from ganxun.evaluations.models import SessionEvaluation
    from ganxun.evaluations.services import setup_ensure
    from ganxun.orgs.idcard import make_id_number
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.services import _insert_org
    from ganxun.programs.models import Program, ProgramTrainee, Session
    from ganxun.surveys.answering import load_items
    from ganxun.surveys.models import Answer, Response

    rng = random.Random(7)
    city = _insert_org(parent=None, code="E0", name="基准市", level="city")
    county = _insert_org(parent=city, code="E1", name="基准县", level="county")
    units = [
        _insert_org(parent=county, code=f"E1{i:03d}", name=f"基准镇{i}", level="township")
        for i in range(40)
    ]
    seen, cadres = set(), []
    for i in range(n_cadres):
        birth = date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        seq = i % 999 + 1
        idn = make_id_number("330201", birth, seq)
        while idn in seen:
            seq = seq % 999 + 1
            idn = make_id_number("330201", birth, seq)
        seen.add(idn)
        cadres.append(
            Cadre(
                name=f"干部{i}",
                gender="M",
                id_number=idn,
                id_tail=idn[-4:],
                birth_date=birth,
                unit=units[i % 40],
                rank="general",
            )
        )
    Cadre._base_manager.bulk_create(cadres, batch_size=1000)
    cadre_ids = list(Cadre._base_manager.values_list("pk", flat=True))
    user = User.objects.create(username="bench", org=county, display_name="教务")
    RoleGrant.objects.create(user=user, role=Role.ORGANIZER)
    lecturers = Lecturer._base_manager.bulk_create(
        [Lecturer(owner=county, name=f"教师{i}") for i in range(10)]
    )
    start = date(2030, 1, 5)
    program = Program._base_manager.create(
        org=county,
        name="基准项目",
        start_date=start,
        end_date=start + timedelta(days=300),
        created_by=user,
    )
    ProgramTrainee._base_manager.bulk_create(
        [ProgramTrainee(program=program, cadre_id=c) for c in cadre_ids], batch_size=1000
    )
    sessions = []
    for i in range(n_sessions):
        at = timezone.make_aware(
            datetime.combine(start + timedelta(days=7 * i), datetime.min.time())
        )
        s = Session._base_manager.create(
            program=program,
            title=f"课次{i}",
            starts_at=at + timedelta(hours=9),
            ends_at=at + timedelta(hours=12),
        )
        Session.lecturers.through.objects.create(session=s, lecturer=lecturers[i % 10])
        sessions.append(s)
    questionnaire = setup_ensure(program).questionnaire
    questions = [i.question for i in load_items(questionnaire)]
    ratings = [q for q in questions if q.kind == "rating"]
    text_q = next(q for q in questions if q.is_text)
    texts = ["希望多安排案例教学", "课程时间太长", "希望提供课件下载", ""]
    n_forms = 0
    for s in sessions:
        Attendance._base_manager.bulk_create(
            [
                Attendance(session=s, cadre_id=c, checked_in_at=s.starts_at, method="qr")
                for c in cadre_ids
            ],
            batch_size=2000,
        )
        answering = [c for c in cadre_ids if rng.random() < 0.8]
        responses = Response._base_manager.bulk_create(
            [
                Response(questionnaire=questionnaire, status="submitted", submitted_at=s.ends_at)
                for _ in answering
            ],
            batch_size=2000,
        )
        answers, evals = [], []
        for cadre_id, response in zip(answering, responses, strict=True):
            scores = [rng.randint(2, 5) for _ in ratings]
            answers += [
                Answer(response=response, question=q, number=v)
                for q, v in zip(ratings, scores, strict=True)
            ]
            text = rng.choice(texts)
            if text:
                answers.append(Answer(response=response, question=text_q, text=text))
            evals.append(
                SessionEvaluation(
                    session=s,
                    cadre_id=cadre_id,
                    response=response,
                    mean_score=sum(scores) / len(scores),
                    submitted_at=s.ends_at,
                )
            )
        Answer._base_manager.bulk_create(answers, batch_size=5000)
        SessionEvaluation._base_manager.bulk_create(evals, batch_size=2000)
        n_forms += len(evals)
    # One session that is open now, with a checked-in trainee account, for the submit timing.
    now = timezone.now()
    live = Session._base_manager.create(
        program=program,
        title="今天的课",
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
    )
    trainee_cadre = cadre_ids[0]
    Attendance._base_manager.create(
        session=live, cadre_id=trainee_cadre, checked_in_at=live.starts_at, method="qr"
    )
    trainee = User.objects.create(username="bench_trainee", org=units[0], cadre_id=trainee_cadre)
    RoleGrant.objects.create(user=trainee, role=Role.TRAINEE)
    post = {f"q{q.pk}": "4" for q in ratings}
    return {
        "program": program,
        "county": county,
        "live": live,
        "trainee": trainee,
        "post": post,
        "summary": f"{n_cadres} trainees × {n_sessions} sessions, "
        f"{n_cadres * n_sessions} attendances, {n_forms} forms",
    }


def _median(call, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


class _Post(dict):
    def getlist(self, key):
        return [self[key]] if key in self else []


def measure(world: dict, runs: int) -> dict:
    from ganxun.evaluations.progress import program_reaction, satisfaction_trend
    from ganxun.evaluations.selectors import program_results, program_sessions_rates
    from ganxun.evaluations.services import evaluation_submit

    program, county = world["program"], world["county"]
    timings = {
        "program_reaction": _median(lambda: program_reaction(program), runs),
        "program_results": _median(lambda: program_results(program), runs),
        "program_sessions_rates": _median(lambda: program_sessions_rates(program), runs),
        "satisfaction_trend": _median(
            lambda: satisfaction_trend(county, program.start_date, program.end_date), runs
        ),
    }
    post = _Post(world["post"])
    t = time.perf_counter()
    evaluation_submit(actor=world["trainee"], session=world["live"], data=post)
    timings["evaluation_submit (new)"] = (time.perf_counter() - t) * 1000
    timings["evaluation_submit (edit)"] = _median(
        lambda: evaluation_submit(actor=world["trainee"], session=world["live"], data=post), runs
    )
    return timings


def report(timings: dict) -> None:
    for name, ms in timings.items():
        print(f"{name:28s} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
