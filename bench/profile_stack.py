"""Where a request's time goes before its view (issue 19): the queries and a cProfile of
``--calls`` test-client calls to ``GET /api/ping`` (bearer token), ``POST /api/checkin`` (kiosk)
and the trainee scan ``GET /checkin/s/<code>/``, on a scratch SQLite database, production-like
settings (DEBUG off, JSON request log).

    .venv/bin/python bench/profile_stack.py [--calls 500] [--top 25]
        [--postgres postgres://postgres@127.0.0.1:5432]   # a scratch PostgreSQL database
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import scratch_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--postgres", default=None, help="server URL (default: SQLite)")
    args = parser.parse_args()
    os.environ["GANXUN_LOG_JSON"] = "1"
    with scratch_django("ganxun_profile_stack", args.postgres):
        logging.getLogger("ganxun.request").handlers = [logging.NullHandler()]
        logging.getLogger("ganxun.request").propagate = False
        calls = world()
        for name, call in calls.items():
            profile(name, call, args)


def world() -> dict:
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ganxun.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
    from ganxun.checkin import codes
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import Cadre
    from ganxun.programs.models import ProgramTrainee, Venue
    from tests.factories import CadreFactory, make_org, make_user
    from tests.programs.factories import make_program, make_session

    with unscoped():
        city = make_org(None, name="甬江市", level="city", code="330200")
        organizer = make_user(city, Role.ORGANIZER, username="jiaowu")
        raw = ApiToken.new_raw_key()
        ApiToken.objects.create(user=organizer, name="k", prefix=raw[:8], key_hash=hash_token(raw))
        cadres = [CadreFactory(unit=city) for _ in range(3)]
        today = timezone.localdate()
        program = make_program(
            city, organizer=organizer, start=today, end=today + timedelta(days=3), name="班"
        )
        venue = Venue.objects.create(owner=city, name="厅", kind=Venue.Kind.MAIN)
        for c in cadres:
            ProgramTrainee.objects.create(program=program, cadre=c)
        now = timezone.now()
        session = make_session(
            program, now - timedelta(minutes=5), now + timedelta(hours=3), main_venue=venue
        )
        trainee = User.objects.create(username="xy", org=city, cadre=cadres[0])
        RoleGrant.objects.create(user=trainee, role=Role.TRAINEE)
    kiosk = Client(
        HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1"
    )
    phone = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    phone.force_login(trainee)
    code = codes.make_code(session.pk, venue.pk)
    body = {"session": session.pk, "cadre": cadres[1].pk}
    calls = {
        "ping": lambda: kiosk.get("/api/ping"),
        "kiosk": lambda: kiosk.post("/api/checkin", body, content_type="application/json"),
        "scan": lambda: phone.get(f"/checkin/s/{code}/"),
    }
    for name, call in calls.items():
        call()  # first call: caches warm, row written
        with CaptureQueriesContext(connection) as ctx:
            status = call().status_code
        print(f"\n## {name}: status {status}, {len(ctx.captured_queries)} queries")
        for q in ctx.captured_queries:
            print("   ", q["sql"][:160])
    Cadre  # noqa: B018 (imported for the factories' side effects)
    return calls


def profile(name: str, call, args) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.calls):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(args.top)
    total = stats.total_tt
    print(f"\n## {name}: {args.calls} calls, {total / args.calls * 1000:.2f} ms each (profiled)")
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


if __name__ == "__main__":
    main()
