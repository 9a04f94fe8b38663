"""Two app processes (gunicorn) and one task worker on one PostgreSQL and one Redis, on loopback:
a session opened on one works on the other, a check-in made through one is seen by the other, a
job started on one is run by the worker and shown by the other, killing one process leaves the
other serving — and PostgreSQL dropping every connection under load makes requests fail cleanly
(503, never a hang or a 500) and they recover without restarting anything."""

import json
import signal
import threading
import time
from datetime import timedelta

import pytest
import redis
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.utils import timezone

from ganxun.accounts.models import ApiToken, Role, hash_token
from ganxun.core.models import Job
from tests.factories import PASSWORD, CadreFactory, make_org, make_user
from tests.ops.children import (
    Browser,
    child_env,
    free_port,
    start_app,
    start_worker,
    stop,
    wait_ready,
)
from tests.programs.factories import enroll, make_program, make_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="processes share PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(scope="module")
def deployment(django_db_setup, tmp_path_factory):
    """Given two app processes and a worker sharing the test database and Redis."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = child_env(tmp_path_factory.mktemp("deploy"), REDIS_URL=REDIS_URL)
    ports = [free_port(), free_port()]
    apps = [start_app(env, port) for port in ports]
    worker = start_worker(env)
    try:
        for port in ports:
            wait_ready(port)
        yield {"ports": ports, "apps": apps, "worker": worker}
    finally:
        for process in [*apps, worker]:
            stop(process)


@pytest.fixture
def city_program():
    """An organizer with a kiosk token, a program of 15 trainees, a session open for check-in."""
    city = make_org(None, name="甬江市", level="city", code="330200")
    organizer = make_user(city, Role.ORGANIZER, username="jiaowu")
    # the app processes run production hashers (the tests' MD5 is not among them)
    argon2 = Argon2PasswordHasher()
    organizer.password = argon2.encode(PASSWORD, argon2.salt())
    organizer.save(update_fields=["password"])
    raw = "gx_two_process_test_token_0123456789"
    ApiToken.objects.create(user=organizer, name="签到机", prefix=raw[:8], key_hash=hash_token(raw))
    people = []
    for t in range(3):
        town = make_org(city, name=f"镇{t}", level="township")
        people += [
            CadreFactory(unit=town, leader_role=r) for r in ["secretary", "head", "", "", ""]
        ]
    today = timezone.localdate()
    program = make_program(
        city, organizer=organizer, start=today - timedelta(days=1), end=today + timedelta(days=30)
    )
    enroll(program, people)
    now = timezone.now()
    session = make_session(program, now - timedelta(minutes=5), now + timedelta(hours=2))
    return {
        "organizer": organizer,
        "token": raw,
        "program": program,
        "session": session,
        "people": people,
    }


def test_sessions_checkins_and_jobs_work_across_two_app_processes(deployment, city_program):
    a, b = deployment["ports"]
    browser = Browser()
    # when the organizer signs in on process A
    assert browser.login(a, "jiaowu", PASSWORD) == 302
    # then the session lives in Redis (the cache) and process B knows the user
    cached = redis.Redis.from_url(REDIS_URL).keys("*sessions.cached_db*")
    assert any(browser.session.encode() in key for key in cached)
    status, _h, page = browser.request(b, "GET", "/programs/")
    assert status == 200 and city_program["organizer"].display_name in page.decode()

    # when a kiosk checks a trainee in through A
    kiosk = {"Authorization": f"Bearer {city_program['token']}"}
    payload = {"session": city_program["session"].pk, "cadre": city_program["people"][0].pk}
    status, _h, body = browser.request(a, "POST", "/api/checkin", json_body=payload, headers=kiosk)
    first = json.loads(body)
    assert status == 200 and first["status"] == "checked_in", body
    # then B sees that row: the same check-in there is a repeat of the first
    status, _h, body = browser.request(b, "POST", "/api/checkin", json_body=payload, headers=kiosk)
    again = json.loads(body)
    assert again["status"] == "already_checked_in" and again["attendance"] == first["attendance"]

    # when the organizer starts the batch solver on A
    program = city_program["program"]
    status, headers, _ = browser.request(
        a,
        "POST",
        f"/programs/{program.pk}/batches/solve/",
        form={"csrfmiddlewaretoken": browser.csrf, "batches": 2, "min_on_duty": "0.4"},
    )
    assert status == 302 and "/jobs/" in headers["Location"], headers
    job_id = headers["Location"].rstrip("/").split("/")[-1]
    # and A is killed outright right after
    deployment["apps"][0].send_signal(signal.SIGKILL)
    # then the worker runs the job to the end, and B shows it done
    job = wait_for_job(job_id)
    assert job.status == Job.Status.SUCCEEDED, job.message
    status, _h, page = browser.request(b, "GET", f"/jobs/{job_id}/")
    assert status == 200 and job.message[:10] in page.decode()
    # and B still serves the signed-in user
    assert browser.request(b, "GET", "/programs/")[0] == 200


def wait_for_job(job_id, timeout=60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job not finished: {job.status} {job.message}")


def terminate_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_postgres_dropping_connections_under_load_fails_cleanly_and_recovers(
    deployment, city_program
):
    port = deployment["ports"][1]
    kiosk = {"Authorization": f"Bearer {city_program['token']}"}
    results, stop_at = [], time.monotonic() + 6

    def hammer():
        browser = Browser()
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                status = browser.request(port, "GET", "/api/ping", headers=kiosk, timeout=20)[0]
            except OSError as exc:
                status = type(exc).__name__
            results.append((status, time.monotonic() - started))

    # given six clients sending authenticated requests (each one queries the database)
    threads = [threading.Thread(target=hammer) for _ in range(6)]
    for t in threads:
        t.start()
    # when PostgreSQL drops every connection of the database, three times a second apart
    killed = 0
    for _ in range(3):
        time.sleep(1.2)
        killed += terminate_backends()
    for t in threads:
        t.join()
    # then every request got an answer (200, or 503 with Retry-After), none hung or failed 500
    statuses = {status for status, _s in results}
    assert killed > 0 and statuses <= {200, 503}, statuses
    assert max(seconds for _s, seconds in results) < 10
    # and without restarting anything the app answers normally again
    browser = Browser()
    after = [browser.request(port, "GET", "/api/ping", headers=kiosk)[0] for _ in range(10)]
    assert after == [200] * 10
    status, _h, body = browser.request(port, "GET", "/readyz")
    assert status == 200, body
