"""A session the database cannot save (SQLite locked by another writer, PostgreSQL gone) answers
the styled Chinese 503 with a retry hint — never Django's bare English "Bad Request (400)"."""

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def lock_session_updates(monkeypatch):
    """From now on every session update fails as SQLite's does while another connection holds
    the write lock past the busy timeout."""
    real_save = Session.save

    def save(self, *args, force_update=False, **kwargs):
        if force_update:
            raise OperationalError("database is locked")
        return real_save(self, *args, force_update=force_update, **kwargs)

    monkeypatch.setattr(Session, "save", save)


def test_a_signed_in_page_whose_session_save_is_locked_answers_the_styled_503(
    client, admin, monkeypatch
):
    # given a signed-in organizer (the first page of a session writes its last-seen time)
    client.force_login(admin)
    # when that write finds the database locked
    lock_session_updates(monkeypatch)
    response = client.get("/")
    # then the answer is the Chinese 503 page with a retry hint, not a bare 400
    body = response.content.decode()
    assert response.status_code == 503, body[:300]
    assert response["Retry-After"] == "5"
    assert "系统繁忙" in body and "刷新" in body and "Bad Request" not in body


def test_the_api_gets_a_json_503(rf):
    from django.contrib.sessions.exceptions import SessionInterrupted

    from ganxun.ops.views import bad_request

    try:
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            raise SessionInterrupted("The request's session was deleted") from None
    except SessionInterrupted as exc:
        interrupted = exc
    request = rf.get("/api/orgs")
    # a chain broken by "from None" still carries the database error as its context
    response = bad_request(request, interrupted)
    assert response.status_code == 503 and b"service_unavailable" in response.content


def test_an_ordinary_bad_request_stays_a_400(rf):
    from django.core.exceptions import SuspiciousOperation

    from ganxun.ops.views import bad_request

    assert bad_request(rf.get("/"), SuspiciousOperation("bad host")).status_code == 400
