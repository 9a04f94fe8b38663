"""The delivery loop: sent once with a stable key, retried with a capped exponential backoff,
failed with a visible reason, a killed worker's claim taken over when its lease expires, the
rate and quiet hours respected, and a channel that is down resting without holding the others."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.periodic import REGISTRY
from ganxun.messaging import delivery
from ganxun.messaging.delivery import backoff, claim, deliver_channel
from ganxun.messaging.models import Delivery, Message
from ganxun.messaging.outbox import To, send
from tests.factories import make_user
from tests.messaging.outbox_helpers import FakeChannel, use_channels, use_preferences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped_block", "quiet_free")]

TEXT = {"title": "调课通知", "body": "周六的课改到三号楼。"}


@pytest.fixture
def quiet_free(settings):
    settings.GANXUN_OUTBOX_QUIET_HOURS = ""
    settings.GANXUN_OUTBOX_RATES = {}
    settings.GANXUN_OUTBOX_BACKOFF_SECONDS = 30
    settings.GANXUN_OUTBOX_BACKOFF_MAX_SECONDS = 600
    settings.GANXUN_OUTBOX_MAX_ATTEMPTS = 4
    return settings


def told(city, monkeypatch, n=3, channels=("sms",), **extra) -> list:
    use_preferences(monkeypatch, channels=channels)
    users = [make_user(city.town_a1, Role.TRAINEE) for _ in range(n)]
    send(kind="test_notice", to=[To.user(u) for u in users], context=TEXT, **extra)
    return users


def pending(channel="sms"):
    return Delivery.objects.filter(channel=channel).order_by("pk")


def test_each_delivery_is_sent_once_with_its_key(city, monkeypatch):
    told(city, monkeypatch)
    (sms,) = use_channels(monkeypatch, sms=FakeChannel("sms")).values()
    result = deliver_channel("sms", budget_seconds=5)
    assert result.sent == 3
    rows = list(pending())
    assert {d.status for d in rows} == {"sent"} and all(d.sent_at for d in rows)
    assert sorted(k for k, _a in sms.sent) == sorted(d.idempotency_key for d in rows)
    assert rows[0].address.startswith("1380000") and rows[0].provider_id.startswith("p-")
    # a second round finds nothing due: nobody is told twice
    assert deliver_channel("sms", budget_seconds=5).sent == 0 and len(sms.sent) == 3


def test_retry_backs_off_exponentially_then_fails_with_the_reason(city, monkeypatch, settings):
    told(city, monkeypatch, n=1)
    use_channels(monkeypatch, sms=FakeChannel("sms", mode="retry"))
    row = pending().get()
    waits = []
    for attempt in range(1, settings.GANXUN_OUTBOX_MAX_ATTEMPTS + 1):
        before = timezone.now()
        deliver_channel("sms", budget_seconds=5)
        row.refresh_from_db()
        assert row.attempts == attempt
        if row.status == "failed":
            break
        assert row.status == "pending" and row.last_error == "网关返回 500"
        waits.append(round((row.next_attempt_at - before).total_seconds() / 30))
        Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # time passes
    # 30 s, 60 s, 120 s … then failed, the reason kept for the sender
    assert waits == [1, 2, 4]
    assert row.status == "failed" and "网关返回 500" in row.last_error and "4" in row.last_error
    assert backoff(10) == timedelta(seconds=600)  # capped


def test_refused_fails_at_once_and_the_rest_go(city, monkeypatch):
    told(city, monkeypatch, n=2, channels=("email",))
    use_preferences(monkeypatch, channels=("email",))
    users = list(Delivery.objects.filter(channel="email").values_list("user_id", flat=True))
    use_preferences(
        monkeypatch, channels=("email",), addresses={("email", users[0]): "not-an-address"}
    )
    from ganxun.messaging.channels.email import EmailChannel

    class Checked(FakeChannel):
        check_address = EmailChannel.check_address

    use_channels(monkeypatch, email=Checked("email"))
    result = deliver_channel("email", budget_seconds=5)
    assert (result.sent, result.failed) == (1, 1)
    bad = Delivery.objects.get(channel="email", user_id=users[0])
    assert bad.status == "failed" and "格式不正确" in bad.last_error and bad.attempts == 1


def test_no_address_is_a_visible_failure(city, monkeypatch):
    told(city, monkeypatch, n=1)
    use_preferences(monkeypatch, channels=("sms",), addresses={})
    monkeypatch.setattr("ganxun.messaging.preferences.address_for", lambda to, channel: "")
    use_channels(monkeypatch, sms=FakeChannel("sms"))
    deliver_channel("sms", budget_seconds=5)
    row = pending().get()
    assert row.status == "failed" and "没有可用" in row.last_error


def test_a_killed_workers_claim_is_taken_over_after_its_lease(city, monkeypatch, settings):
    told(city, monkeypatch, n=2)
    (sms,) = use_channels(monkeypatch, sms=FakeChannel("sms")).values()
    # given a worker that claimed both and died (its lease still running)
    claimed = claim("sms", 10)
    assert len(claimed) == 2 and {d.status for d in pending()} == {"sending"}
    keys = {d.idempotency_key for d in claimed}
    # then another worker leaves them alone while the lease runs
    assert deliver_channel("sms", budget_seconds=5).sent == 0
    # when the lease has expired, the next round sends them, with the same keys
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert deliver_channel("sms", budget_seconds=5).sent == 2
    assert {k for k, _a in sms.sent} == keys
    assert {d.attempts for d in pending()} == {2}


def test_a_delivery_whose_workers_keep_dying_stops(city, monkeypatch, settings):
    told(city, monkeypatch, n=1)
    use_channels(monkeypatch, sms=FakeChannel("sms"))
    Delivery.objects.filter(channel="sms").update(
        status="sending",
        attempts=settings.GANXUN_OUTBOX_MAX_ATTEMPTS,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    deliver_channel("sms", budget_seconds=5)
    row = pending().get()
    assert row.status == "failed" and "中断" in row.last_error


def test_a_channel_that_is_down_rests_and_the_others_go(city, monkeypatch):
    told(city, monkeypatch, n=4, channels=("sms", "email"))
    down, up = FakeChannel("sms", mode="retry"), FakeChannel("email")
    use_channels(monkeypatch, sms=down, email=up)
    result = deliver_channel("sms", budget_seconds=5)
    # one try, then the channel rests: the others go back untouched, no attempt counted
    assert (result.retried, result.released) == (1, 3)
    assert sorted(pending("sms").values_list("attempts", flat=True)) == [0, 0, 0, 1]
    assert set(pending("sms").values_list("status", flat=True)) == {"pending"}
    assert deliver_channel("email", budget_seconds=5).sent == 4
    # each channel has its own loop (its own worker thread)
    assert {"outbox-sms", "outbox-email", "outbox-wecom"} <= set(REGISTRY)


def test_sending_never_waits_for_a_channel(city, monkeypatch):
    # given every channel down, the request that causes a notice only writes rows
    def explode(code):
        raise AssertionError("the request must not touch a channel")

    monkeypatch.setattr("ganxun.messaging.channels.registry.channel", explode)
    told(city, monkeypatch, n=2, channels=("sms", "email"))
    assert pending("sms").count() == 2 and Message.objects.count() == 1


def test_the_rate_holds_across_rounds(city, monkeypatch, settings):
    settings.GANXUN_OUTBOX_RATES = {"sms": "3/h"}
    told(city, monkeypatch, n=5)
    (sms,) = use_channels(monkeypatch, sms=FakeChannel("sms")).values()
    assert deliver_channel("sms", budget_seconds=0.5).sent == 3
    assert deliver_channel("sms", budget_seconds=0.5).sent == 0  # a second worker, same window
    assert len(sms.sent) == 3 and pending().filter(status="pending").count() == 2


def test_quiet_hours_hold_all_but_urgent_kinds(city, monkeypatch, settings):
    now = timezone.localtime()
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    settings.GANXUN_OUTBOX_QUIET_HOURS = f"{start:%H:%M}-{end:%H:%M}"
    told(city, monkeypatch, n=2)
    Message.objects.update(urgent=False)
    urgent = told(city, monkeypatch, n=1)
    Message.objects.filter(deliveries__user=urgent[0]).update(urgent=True)
    use_channels(monkeypatch, sms=FakeChannel("sms"))
    assert delivery.in_quiet_hours()
    assert deliver_channel("sms", budget_seconds=1).sent == 1
    settings.GANXUN_OUTBOX_QUIET_HOURS = ""
    assert deliver_channel("sms", budget_seconds=1).sent == 2


def test_quiet_hours_across_midnight(settings):
    settings.GANXUN_OUTBOX_QUIET_HOURS = "22:00-07:00"
    day = timezone.localtime().replace(hour=12, minute=0)
    assert not delivery.in_quiet_hours(day)
    assert delivery.in_quiet_hours(day.replace(hour=23))
    assert delivery.in_quiet_hours(day.replace(hour=6, minute=59))
