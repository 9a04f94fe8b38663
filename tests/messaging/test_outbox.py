"""The outbox's write: one Message, the in-app notices at once, a pending Delivery for each
other channel; idempotent by key; in the caller's transaction; bounded queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import Notice
from ganxun.messaging.models import INAPP, Delivery, Message
from ganxun.messaging.outbox import Outgoing, To, send, send_each
from tests.factories import CadreFactory, make_user
from tests.messaging.outbox_helpers import use_preferences
from tests.programs.factories import make_program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped_block")]

TEXT = {"title": "培训通知", "body": "请于周六9点报到。"}


def test_a_send_writes_the_message_the_inbox_and_the_pending_channels(city, monkeypatch):
    # given two accounts and a cadre with no account, who get SMS and e-mail
    use_preferences(monkeypatch, channels=("sms", "email"))
    organizer = make_user(city.county_a, Role.ORGANIZER)
    cadre = CadreFactory(unit=city.town_a1)
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=CadreFactory(unit=city.town_a1))
    program = make_program(city.county_a, organizer=organizer)
    # when the organizer's action sends a notice
    n = send(
        kind="test_notice",
        to=[To.user(trainee), To.user(organizer), To.cadre(cadre.pk)],
        context=TEXT,
        url="/programs/1/",
        program_id=program.pk,
        sender=organizer,
    )
    # then one message with three recipients, in the program's org
    assert n == 3
    message = Message.objects.get()
    assert (message.title, message.org_id, message.recipients) == ("培训通知", city.county_a.pk, 3)
    # the inbox has each notice now, linked to the message; the cadre's waits for an account
    notices = Notice.objects.filter(message_id=message.pk)
    assert notices.count() == 3
    assert notices.get(cadre_id=cadre.pk).user_id is None
    assert notices.get(user=trainee).cadre_id == trainee.cadre_id
    # in-app is delivered; SMS and e-mail are pending for the worker, due now
    by_channel = {}
    for d in Delivery.objects.filter(message=message):
        by_channel.setdefault(d.channel, []).append(d)
    assert {d.status for d in by_channel[INAPP]} == {Delivery.Status.SENT}
    assert len(by_channel["sms"]) == len(by_channel["email"]) == 3
    assert all(
        d.status == "pending" and d.next_attempt_at <= timezone.now() for d in by_channel["sms"]
    )
    assert {d.cadre_id for d in by_channel["sms"]} == {cadre.pk, trainee.cadre_id, None}


def test_the_same_key_sends_once(city, monkeypatch):
    use_preferences(monkeypatch, channels=("sms",))
    user = make_user(city.town_a1, Role.TRAINEE)
    first = send(kind="test_notice", to=[To.user(user)], context=TEXT, key="reminder:1:user")
    again = send(kind="test_notice", to=[To.user(user)], context=TEXT, key="reminder:1:user")
    assert (first, again) == (1, 0)
    assert Message.objects.count() == 1
    assert Notice.objects.count() == 1 and Delivery.objects.count() == 2


def test_without_a_key_each_send_is_a_new_message(city):
    user = make_user(city.town_a1, Role.TRAINEE)
    send(kind="test_notice", to=[To.user(user)], context=TEXT)
    send(kind="test_notice", to=[To.user(user)], context=TEXT)
    assert Message.objects.count() == 2


def test_a_recipient_named_twice_is_told_once_and_nobody_means_nothing(city):
    user = make_user(city.town_a1, Role.TRAINEE)
    assert send(kind="test_notice", to=[To.user(user), To.user(user)], context=TEXT) == 1
    assert send(kind="test_notice", to=[], context=TEXT, key="k") == 0
    assert Message.objects.count() == 1


def test_written_in_the_callers_transaction(city, monkeypatch):
    use_preferences(monkeypatch, channels=("sms",))
    user = make_user(city.town_a1, Role.TRAINEE)
    with pytest.raises(RuntimeError), transaction.atomic():
        send(kind="test_notice", to=[To.user(user)], context=TEXT, key="once")
        raise RuntimeError("the event failed")
    # nothing of the notice survives the event's rollback, and the key is free again
    assert not Message.objects.exists() and not Notice.objects.exists()
    assert send(kind="test_notice", to=[To.user(user)], context=TEXT, key="once") == 1


def test_shows_at_later_hides_the_notice_and_holds_the_channels(city, monkeypatch):
    use_preferences(monkeypatch, channels=("sms",))
    user = make_user(city.town_a1, Role.TRAINEE)
    later = timezone.now() + timedelta(hours=2)
    send(kind="test_notice", to=[To.user(user)], context=TEXT, shows_at=later)
    assert not Notice.objects.exists()  # the inbox shows it from ``later``
    assert Notice._base_manager.get().created_at == later
    assert Delivery.objects.get(channel="sms").next_attempt_at == later


def test_each_recipient_keeps_their_own_text(city, monkeypatch):
    use_preferences(monkeypatch, channels=("sms",))
    a, b = (make_user(city.town_a1, Role.TRAINEE) for _ in range(2))
    send_each(
        kind="test_notice",
        items=[
            Outgoing(to=To.user(a), context={"title": "第一批", "body": "周六"}, url="/a/"),
            Outgoing(to=To.user(b), context={"title": "第二批", "body": "周日"}, url="/b/"),
        ],
    )
    assert Notice.objects.get(user=b).title == "第二批"
    sms = {d.user_id: d for d in Delivery.objects.filter(channel="sms")}
    assert sms[a.pk].title == ""  # the message's own text (the first recipient's)
    assert (sms[b.pk].title, sms[b.pk].url) == ("第二批", "/b/")


def test_no_query_per_recipient(city, monkeypatch):
    use_preferences(monkeypatch, channels=("sms", "email"))
    cadres = CadreFactory.create_batch(300, unit=city.town_a1)
    users = [make_user(city.town_a1, Role.TRAINEE) for _ in range(20)]
    to = [To.cadre(c.pk) for c in cadres] + [To.user(u) for u in users]
    with CaptureQueriesContext(connection) as queries:
        assert send(kind="test_notice", to=to, context=TEXT, key="bulk") == 320
    assert Delivery.objects.count() == 320 * 3
    # a few reads and writes, then multi-row INSERTs (SQLite caps their rows by its 999
    # parameters; PostgreSQL takes 1,000 rows a statement)
    # (Django records an executemany as "320 times: INSERT …")
    statements = [
        re.sub(r"^\d+ times: ", "", q["sql"]).split()[0].upper() for q in queries.captured_queries
    ]
    assert len([s for s in statements if s != "INSERT"]) <= 6
    assert statements.count("INSERT") <= 1 + 320 * 4 / 40


def test_a_message_is_seen_by_organizers_of_its_subtree_only(city):
    user = make_user(city.town_a1, Role.TRAINEE)
    send(kind="test_notice", to=[To.user(user)], context=TEXT, org_id=city.county_a.pk)
    inside = make_user(city.county_a, Role.ORGANIZER)
    outside = make_user(city.county_b, Role.ORGANIZER)
    contact = make_user(city.county_a, Role.UNIT_CONTACT)
    assert Message.objects.visible_to(inside).count() == 1
    assert Delivery.objects.visible_to(inside).count() == 1
    assert Message.objects.visible_to(outside).count() == 0
    assert Message.objects.visible_to(contact).count() == 0
