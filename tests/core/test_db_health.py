"""The persistent connection's ``SELECT 1`` runs only after a pause (core/db.py, issue 19)."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from ganxun.core import db

pytestmark = pytest.mark.django_db


def _new_request(monkeypatch, at: float) -> None:
    monkeypatch.setattr(db.time, "monotonic", lambda: at)
    connection.health_check_enabled = True  # as production's conn_health_checks=True
    connection.health_check_done = False  # what close_old_connections leaves at a request start
    db._skip_recent_health_check()  # our receiver, which runs right after it


def test_a_connection_used_a_moment_ago_skips_the_health_check(monkeypatch):
    # given a request that ended without error at t=100
    connection.ensure_connection()
    monkeypatch.setattr(db.time, "monotonic", lambda: 100.0)
    db._mark_healthy()
    # when the next request starts half a second later, then no SELECT 1 is due
    _new_request(monkeypatch, 100.5)
    assert connection.health_check_done is True


def test_after_a_pause_or_an_error_the_health_check_runs(monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(db.time, "monotonic", lambda: 100.0)
    db._mark_healthy()
    # a pause of more than a second: checked again
    _new_request(monkeypatch, 101.5)
    assert connection.health_check_done is False
    # a request that ended with a database error is not taken as proof of health
    connection.gx_healthy_at = None
    monkeypatch.setattr(connection, "errors_occurred", True)
    monkeypatch.setattr(db.time, "monotonic", lambda: 200.0)
    db._mark_healthy()
    _new_request(monkeypatch, 200.1)
    assert connection.health_check_done is False


def test_the_rule_is_wired_to_the_request_signals():
    receivers = [r[0][0] for r in request_started.receivers + request_finished.receivers]
    assert "gx_skip_health_check" in receivers and "gx_mark_healthy" in receivers
