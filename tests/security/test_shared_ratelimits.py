"""Rate limits that hold across processes and never refuse a hall of trainees (issue 19).

A hall of 5,000 trainees scans the projector's code through the venue's Wi-Fi (one address) in
the two minutes before class: none may be refused. One person or one address hammering the scan
is. And the count is one for every process serving: two processes share it.
"""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from ganxun.accounts.models import User
from ganxun.checkin import codes
from ganxun.checkin.models import Attendance
from ganxun.checkin.views.scan import scan
from ganxun.core import counters
from ganxun.core.models import RateCounter
from ganxun.core.ratelimit import limits_of
from tests.checkin import conftest as checkin_fixtures

ROOT = Path(__file__).resolve().parents[2]
HALL = 5000
VENUE_WIFI = "10.20.30.40"  # the one NAT address every phone in the hall shares

klass = checkin_fixtures.klass  # the class running now, with its trainees


@pytest.fixture
def limits_on(settings, monkeypatch, db):
    settings.GANXUN_RATELIMITS_ENABLED = True
    # The windows are fixed: hold the clock mid-window so a slow run cannot cross into the next.
    fixed = SimpleNamespace(time=lambda: 1_800_000_000.0 + 100)
    monkeypatch.setattr("ganxun.core.ratelimit.time", fixed)
    cache.clear()
    yield settings
    cache.clear()


def scan_url(klass):
    return reverse("checkin:scan", args=[codes.make_code(klass.session.pk, klass.hall.pk)])


def phone(user=None) -> Client:
    client = Client(REMOTE_ADDR=VENUE_WIFI)
    if user is not None:
        client.force_login(user)
    return client


def test_a_hall_of_5000_signed_in_trainees_behind_one_address_is_never_refused(
    limits_on, klass, city
):
    # given 5,000 trainee accounts (created set-based: the count is what matters here)
    User.objects.bulk_create(
        User(username=f"hall{n}", display_name=f"学员{n}", org=city.town_a1) for n in range(HALL)
    )
    trainees = list(User.objects.filter(username__startswith="hall"))
    assert len(trainees) == HALL
    # when every one of them scans through the venue's Wi-Fi, counted by the scan's own limits
    factory = RequestFactory(REMOTE_ADDR=VENUE_WIFI)
    limits = limits_of(scan)
    assert limits, "the scan is rate limited"
    refused = 0
    for trainee in trainees:
        request = factory.get(scan_url(klass))
        request.user = trainee
        refused += sum(limit.check(request) is not None for limit in limits)
    # then none is refused
    assert refused == 0
    # and the real trainees of the class, on phones behind the same address, check in
    for trainee in (klass.alice, klass.bob):
        response = phone(trainee).get(scan_url(klass))
        assert response.status_code == 302, response.status_code
        assert response["Location"] == reverse("checkin:done", args=[klass.session.pk])
    assert Attendance._base_manager.filter(session=klass.session).count() == 2


def test_a_phone_not_yet_signed_in_is_sent_to_sign_in_not_refused(limits_on, klass):
    # given the whole hall before sign-in: two scans per trainee of the hall from one address
    for _ in range(2 * HALL - 1):
        limits_of(scan)[-1].check(_anonymous_request(klass))
    # then the last phone of the hall is still sent to sign in
    response = phone().get(scan_url(klass))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _anonymous_request(klass):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory(REMOTE_ADDR=VENUE_WIFI).get(scan_url(klass))
    request.user = AnonymousUser()
    return request


def test_one_trainee_hammering_the_scan_is_limited_and_nobody_else(limits_on, klass):
    alice = phone(klass.alice)
    statuses = [alice.get(scan_url(klass)).status_code for _ in range(31)]
    # 30 scans a minute is more than anyone needs (sign in, share a position, retry)
    assert statuses[:30] == [302] * 30 and statuses[30] == 429
    assert int(alice.get(scan_url(klass))["Retry-After"]) > 0
    # the trainee next to her, on the same Wi-Fi, still checks in
    assert phone(klass.bob).get(scan_url(klass)).status_code == 302


def test_an_anonymous_address_hammering_the_scan_is_limited(limits_on, klass):
    limits_on.GANXUN_RATELIMIT_HALL = 10  # a venue configured for halls of ten: 20 per 5 minutes
    anonymous = phone()
    statuses = [anonymous.get(scan_url(klass)).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429
    # a signed-in trainee behind that address is counted by account, not refused
    assert phone(klass.alice).get(scan_url(klass)).status_code == 302


def test_windows_that_are_over_are_purged(limits_on):
    if counters.uses_redis():
        pytest.skip("Redis expires its keys itself")
    counters.increment("old:window", expires=1_000)
    counters.increment("current:window", expires=2_000_000_000)
    assert counters.purge_expired(now=1_800_000_000) == 1
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["current:window"]


def _child_env(tmp_path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "ganxun.config.settings.test"
    if counters.uses_redis():
        return env  # REDIS_URL is in the environment: both processes use that Redis
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:"
            f"{params['PORT'] or 5432}/{params['NAME']}"
        )
        return env
    # SQLite: the suite's database lives in memory; the two processes share a file
    database = tmp_path / "shared.sqlite3"
    editor = connection.schema_editor(collect_sql=True)  # the migration's SQL, not run here
    editor.deferred_sql = []
    editor.create_model(RateCounter)
    with sqlite3.connect(database) as db:
        for statement in editor.collected_sql + [str(sql) for sql in editor.deferred_sql]:
            db.execute(statement)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def test_two_processes_share_one_counter(limits_on, tmp_path):
    env = _child_env(tmp_path)
    scope = f"shared-{uuid.uuid4().hex[:8]}"
    child = [sys.executable, "-m", "tests.security.ratelimit_child", str(tmp_path)]
    children = [
        subprocess.Popen(
            [*child, name, "100", scope, "150/h"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    # 200 requests against a limit of 150: exactly 150 pass, whichever process counted them
    assert sum(result["allowed"] for result in results) == 150
    # once the shared total is over the limit, each process refuses
    assert [result["one_more_allowed"] for result in results] == [False, False]
    # and each sees every request counted, its sibling's included (no count lost)
    assert [result["total"] for result in results] == [202, 202]
