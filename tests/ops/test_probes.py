"""Health, readiness and metrics endpoints, JSON request logs, and a database outage answered
with 503 (not 500)."""

import json
import logging
from unittest import mock

import pytest
from django.db import DataError, OperationalError
from django.test import override_settings

from ganxun.accounts.models import Role
from ganxun.ops import readiness
from ganxun.ops.logs import JsonFormatter
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    # when the load balancer asks whether the process lives
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    # then it answers ok without a query
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_every_check_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "tasks"}


def test_readyz_names_the_failed_check_with_503(client):
    # given the cache cannot be reached
    def broken():
        raise ConnectionError("redis down")

    with mock.patch.dict(readiness.CHECKS, {"cache": broken}):
        response = client.get("/readyz")
    # then the probe answers 503 and names the cache
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert "redis down" in body["checks"]["cache"]["detail"]
    assert body["checks"]["database"]["ok"]


@override_settings(GANXUN_READYZ_REQUIRE_WORKER=True)
def test_readyz_fails_when_a_worker_is_required_and_none_beats(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["tasks"]


def test_metrics_expose_latency_queue_depth_and_checkins(client):
    # given a request was served
    client.get("/healthz")
    # when Prometheus scrapes from loopback
    response = client.get("/metrics")
    # then the text has the request histogram, the queue depth and check-ins per minute
    assert response.status_code == 200
    text = response.content.decode()
    assert 'ganxun_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"' in text
    assert 'ganxun_task_queue_depth{queue="default"} 0.0' in text
    assert "ganxun_checkins_last_minute 0.0" in text
    assert "ganxun_workers_alive 0.0" in text


def test_metrics_refuse_requests_relayed_from_outside(client):
    # given nginx relayed the request (it adds X-Forwarded-For)
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 403


@override_settings(GANXUN_METRICS_TOKEN="s3cret-token")
def test_metrics_with_a_token_need_the_token(client):
    assert client.get("/metrics").status_code == 403
    ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200


def test_each_request_logs_one_json_line_without_personal_data(client, city, caplog):
    # given a signed-in user
    user = make_user(city.city, Role.ADMIN, username="logme")
    client.force_login(user)
    # when they open a page
    with caplog.at_level(logging.INFO, logger="ganxun.request"):
        client.get("/healthz?name=张三")
    # then one line says method, path, status, duration and the user id — not the query string
    records = [r for r in caplog.records if r.name == "ganxun.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["user_id"] == user.pk and line["duration_ms"] >= 0
    assert "张三" not in json.dumps(line, ensure_ascii=False) and "logme" not in str(line)


def test_survey_link_tokens_are_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="ganxun.request"):
        client.get("/s/abcdefSECRETtoken123/")
    record = next(r for r in caplog.records if r.name == "ganxun.request")
    assert "SECRET" not in record.path


@pytest.mark.parametrize(
    ("path", "kind"), [("/programs/", "text/html"), ("/api/orgs", "application/json")]
)
def test_a_lost_database_answers_503_not_500(client, path, kind):
    # given the database connection drops while a middleware is using it
    client.raise_request_exception = False
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch("ganxun.core.middleware.client_ip", side_effect=lost):
        response = client.get(path)
    # then the user gets "temporarily unavailable, retry" rather than a server error
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(kind)
    text = response.json()["message"] if "json" in kind else response.content.decode()
    assert "暂时不可用" in text


def test_a_value_the_database_refuses_answers_400_not_500(client):
    # given the database refuses a value the request carried (a NUL byte on PostgreSQL)
    client.raise_request_exception = False
    refused = DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    with mock.patch("ganxun.core.middleware.client_ip", side_effect=refused):
        response = client.get("/api/orgs")
    # then the client is told its input is wrong
    assert response.status_code == 400 and response.json()["code"] == "invalid_value"


def test_other_errors_still_answer_500(client):
    client.raise_request_exception = False
    with mock.patch("ganxun.core.middleware.client_ip", side_effect=ValueError("bug")):
        response = client.get("/programs/")
    assert response.status_code == 500


def test_reports_read_from_the_replica_only_when_one_is_configured():
    from types import SimpleNamespace

    from ganxun.ops import routers
    from ganxun.ops.routers import ReportReplicaRouter, reporting
    from ganxun.orgs.models import Cadre

    router = ReportReplicaRouter()
    # given no replica: reports read the primary
    with reporting():
        assert router.db_for_read(Cadre) is None
    # given a replica: reads inside a report go there, other reads and every write do not
    with mock.patch.object(routers, "settings", SimpleNamespace(DATABASES={"replica": {}})):
        with reporting():
            assert router.db_for_read(Cadre) == "replica"
            assert router.db_for_write(Cadre) == "default"
        assert router.db_for_read(Cadre) is None
    assert not router.allow_migrate("replica", "orgs")
