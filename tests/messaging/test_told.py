"""Who was told: the program's tab and a message's recipients for organizers of the subtree
(others: 404 or 403), filter by status, masked addresses, resend to the failed (audited),
export (audited), a person's own history; bounded queries."""

import io

import openpyxl
import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry, Notice
from ganxun.core.scoping import unscoped
from ganxun.messaging.models import Delivery, Message
from ganxun.messaging.outbox import To, send
from tests.factories import CadreFactory, make_user
from tests.messaging.outbox_helpers import use_preferences
from tests.programs.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(city, monkeypatch):
    """A program of 东江县 whose notice went to three cadres by SMS: one delivered, one failed,
    one pending; one trainee read it in the inbox."""
    use_preferences(monkeypatch, channels=("sms",))
    organizer = make_user(city.county_a, Role.ORGANIZER, username="east_org")
    program = make_program(city.county_a, organizer=organizer, name="东江县青年干部班")
    cadres = [CadreFactory(unit=city.town_a1, name=n) for n in ("张三", "李四", "王五")]
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadres[0], username="zhang")
    with unscoped():
        send(
            kind="test_notice",
            to=[To.user(trainee), To.cadre(cadres[1].pk), To.cadre(cadres[2].pk)],
            context={"title": "开班通知", "body": "3月1日报到"},
            program_id=program.pk,
            sender=organizer,
        )
        message = Message.objects.get()
        sms = {d.cadre_id: d for d in Delivery.objects.filter(channel="sms")}
        Delivery.objects.filter(pk=sms[cadres[0].pk].pk).update(
            status="sent", address="13812348000", sent_at=timezone.now()
        )
        Delivery.objects.filter(pk=sms[cadres[1].pk].pk).update(
            status="failed", address="13912345678", last_error="号码不是手机号", attempts=1
        )
        Notice.objects.filter(user=trainee).update(read_at=timezone.now())
    return {"program": program, "message": message, "organizer": organizer, "trainee": trainee}


def test_the_programs_tab_counts_told_delivered_failed_and_read(client, told):
    client.force_login(told["organizer"])
    page = client.get(f"/programs/{told['program'].pk}/told/").content.decode()
    assert "开班通知" in page and 'data-testid="failed">1<' in page
    assert f"/programs/{told['program'].pk}/told/" in page  # the tab itself


def test_a_messages_recipients_with_masked_numbers_and_a_filter(client, told):
    client.force_login(told["organizer"])
    url = f"/messaging/told/{told['message'].pk}/"
    page = client.get(url).content.decode()
    assert all(name in page for name in ("张三", "李四", "王五"))
    assert "138****8000" in page and "13812348000" not in page
    assert "号码不是手机号" in page and "已读" in page
    failed = client.get(url, {"status": "failed"}).content.decode()
    assert "李四" in failed and "张三" not in failed and "王五" not in failed


def test_resend_to_the_failed_is_audited(client, told):
    client.force_login(told["organizer"])
    message = told["message"]
    response = client.post(f"/messaging/told/{message.pk}/resend/")
    assert response.status_code == 302
    with unscoped():
        assert not Delivery.objects.filter(status="failed").exists()
        assert Delivery.objects.filter(channel="sms", status="pending").count() == 2
        entry = AuditEntry.objects.get(object_type="messaging.message")
    assert entry.changes == {"resend_failed": 1} and entry.actor == told["organizer"]
    # nothing failed any more: a second resend says so and changes nothing
    client.post(f"/messaging/told/{message.pk}/resend/", follow=True)
    with unscoped():
        assert AuditEntry.objects.filter(object_type="messaging.message").count() == 1


def test_export_lists_every_recipient_and_is_audited(client, told):
    client.force_login(told["organizer"])
    response = client.get(f"/messaging/told/{told['message'].pk}/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "单位", "站内消息已读") and len(rows) == 4
    assert any("139****5678" in str(cell) for row in rows for cell in row)
    with unscoped():
        assert AuditEntry.objects.filter(action="export").count() == 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANIZER])
def test_organizers_of_another_county_find_nothing(client, told, city, role):
    client.force_login(make_user(city.county_b, role))
    for url in (
        f"/programs/{told['program'].pk}/told/",
        f"/messaging/told/{told['message'].pk}/",
        f"/messaging/told/{told['message'].pk}/export.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/messaging/told/{told['message'].pk}/resend/").status_code == 404
    with unscoped():
        assert Delivery.objects.filter(status="failed").count() == 1


@pytest.mark.parametrize("role", [Role.UNIT_CONTACT, Role.LECTURER, Role.TRAINEE, Role.REVIEWER])
def test_other_roles_are_forbidden(client, told, city, role):
    client.force_login(make_user(city.county_a, role))
    assert client.get(f"/messaging/told/{told['message'].pk}/").status_code == 403
    assert client.post(f"/messaging/told/{told['message'].pk}/resend/").status_code == 403


def test_the_city_administrator_sees_the_countys_messages(client, told, admin):
    client.force_login(admin)
    assert client.get(f"/messaging/told/{told['message'].pk}/").status_code == 200


def test_a_person_sees_their_own_history_only(client, told, city):
    client.force_login(told["trainee"])
    inbox = client.get("/enrollment/inbox/").content.decode()
    assert "/messaging/mine/" in inbox
    page = client.get("/messaging/mine/").content.decode()
    assert "开班通知" in page and "138****8000" in page and "已读" in page
    other = make_user(city.town_a1, Role.TRAINEE, cadre=CadreFactory(unit=city.town_a1))
    client.force_login(other)
    assert "开班通知" not in client.get("/messaging/mine/").content.decode()


def test_the_recipients_page_runs_bounded_queries(client, told, city, monkeypatch):
    client.force_login(told["organizer"])
    url = f"/messaging/told/{told['message'].pk}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [To.cadre(c.pk) for c in CadreFactory.create_batch(30, unit=city.town_a1)]
    with unscoped():
        Delivery.objects.filter(message=told["message"]).delete()
        send(kind="test_notice", to=more, context={"title": "x"})
        other = Message.objects.latest("pk")
        Message.objects.filter(pk=other.pk).update(org=city.county_a)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/messaging/told/{other.pk}/")
    assert len(many) <= len(few) + 1
