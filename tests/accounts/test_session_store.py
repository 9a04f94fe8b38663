"""accounts/sessions.py reads Django's database sessions exactly as Django's own store does
(production's SESSION_ENGINE without Redis; issue 19)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from ganxun.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_saved_by_django_reads_the_same():
    # given a session written by Django's store
    theirs = DjangoStore()
    theirs.update({"_auth_user_id": "7", "last_seen": 1_700_000_000, "2fa_ok": 7})
    theirs.save()
    # when our store loads it by its key, then it holds the same data and key
    ours = SessionStore(session_key=theirs.session_key)
    assert dict(ours.items()) == dict(DjangoStore(session_key=theirs.session_key).items())
    assert ours.session_key == theirs.session_key
    # and what ours saves, Django's reads
    ours["last_seen"] = 1_700_000_060
    ours.save()
    assert DjangoStore(session_key=theirs.session_key)["last_seen"] == 1_700_000_060


def test_an_expired_or_unknown_key_starts_an_empty_session():
    old = DjangoStore()
    old["_auth_user_id"] = "7"
    old.save()
    Session.objects.filter(pk=old.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (old.session_key, "x" * 32):
        store = SessionStore(session_key=key)
        assert dict(store.items()) == {}
        assert store.session_key is None  # a new key is made when it is saved, as Django does
