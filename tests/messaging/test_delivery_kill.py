"""kill -9 of the process delivering the outbox, midway: nothing lost, nothing sent twice.

A real process runs the e-mail delivery loop (as ``ganxun worker``'s periodic thread does)
against a real SMTP server run by this test, which records each mail's Message-ID (made from
the delivery's idempotency key). The first process is SIGKILLed after about a third of the
mails; a second one takes over the dead one's claims once their lease expires. On
PostgreSQL, as in production."""

import os
import signal
import subprocess
import textwrap
import time

import pytest
from django.db import connection

from ganxun.core.scoping import unscoped
from ganxun.messaging.models import Delivery
from ganxun.messaging.outbox import To, send
from tests.factories import CadreFactory
from tests.messaging.outbox_helpers import (  # noqa: F401
    email_settings,
    smtp_server,
    use_preferences,
)
from tests.ops.children import PYTHON, ROOT, child_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real processes on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

N = 300

LOOP = """
import django
django.setup()
from django.conf import settings
from ganxun.core.scoping import SYSTEM, acting_as
from ganxun.messaging import preferences
from ganxun.messaging.delivery import deliver_channel
from ganxun.messaging.models import Delivery

settings.GANXUN_CHANNELS = {{"email": {channel!r}}}
preferences.address_for = lambda to, channel: f"c{{to.cadre_id}}@example.cn"
with acting_as(SYSTEM):
    while Delivery._base_manager.filter(channel="email").exclude(status="sent").exists():
        deliver_channel("email", budget_seconds=2)
print("done", flush=True)
"""


def start_loop(env, port) -> subprocess.Popen:
    code = textwrap.dedent(LOOP).format(channel=email_settings(port))
    return subprocess.Popen(
        [PYTHON, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_kill_9_midway_loses_and_duplicates_nothing(smtp_server, tmp_path, monkeypatch):  # noqa: F811
    # given 300 cadres told by e-mail (committed: the processes read them)
    cadres = CadreFactory.create_batch(N, unit=_town())
    use_preferences(monkeypatch, channels=("email",))
    with unscoped():
        send(kind="test_notice", to=[To.cadre(c.pk) for c in cadres], context={"title": "通知"})
    env = child_env(
        tmp_path,
        GANXUN_OUTBOX_RATES="email=60/s",
        GANXUN_OUTBOX_LEASE_SECONDS=3,
        GANXUN_OUTBOX_BATCH=30,  # the kill falls inside the 4th claim (mails 91–120)
        GANXUN_OUTBOX_QUIET_HOURS="",
    )
    # when the delivering process is killed -9 after about a third of the mails
    first = start_loop(env, smtp_server.port)
    deadline = time.monotonic() + 120
    while len(smtp_server.received) < N // 3:
        assert first.poll() is None, first.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the loop sent nothing"
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = len(smtp_server.received)
    with unscoped():
        leased = Delivery.objects.filter(channel="email", status="sending").count()
    assert 0 < at_kill < N and leased > 0  # it died holding claims
    # and a new one is started
    second = start_loop(env, smtp_server.port)
    _out, err = second.communicate(timeout=180)
    assert second.returncode == 0, err.decode()[-2000:]
    # then every delivery is sent, each key arrived, and at most the one mail in flight at the
    # kill arrived twice (sent, not yet recorded — the provider sees the same Message-ID)
    with unscoped():
        rows = list(Delivery.objects.filter(channel="email"))
    assert len(rows) == N and {d.status for d in rows} == {"sent"}
    ids = [m.message_id for m in smtp_server.received]
    keys = {f"<{d.idempotency_key}@zzb.gov.cn>" for d in rows}
    assert set(ids) == keys
    assert len(ids) - len(set(ids)) <= 1
    assert max(d.attempts for d in rows) == 2  # the dead process's claims, taken over once


def _town():
    from tests.factories import make_org

    city = make_org(None, name="甬江市", level="city", code="330200")
    return make_org(city, name="东湖镇", level="township", code="330200001")
