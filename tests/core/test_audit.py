"""The audit log is append-only: not through the ORM, and not even through raw SQL."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import override_settings

from ganxun.core.audit import audit_record
from ganxun.core.models import AppendOnlyError, AuditEntry


@pytest.fixture
def entry(admin):
    return audit_record(
        actor=admin, action="update", obj=admin, changes={"display_name": ["a", "b"]}
    )


def test_orm_refuses_to_change_or_delete_an_entry(entry):
    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@override_settings(GANXUN_AUDIT_PURGE_ALLOWED=False)
def test_database_refuses_a_raw_update_and_delete(entry):
    lock = "SET LOCAL ganxun.audit_purge = 'off'" if connection.vendor == "postgresql" else None
    for sql in (
        f"UPDATE core_auditentry SET action = 'x' WHERE id = {entry.pk}",
        f"DELETE FROM core_auditentry WHERE id = {entry.pk}",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            if lock:
                cur.execute(lock)
            cur.execute(sql)
    entry.refresh_from_db()
    assert entry.action == "update"


def test_request_address_is_recorded(client, admin, city):
    client.force_login(admin)
    client.post(
        f"/orgs/{city.county_b.pk}/new/",
        {"code": "330202009", "name": "新城街道", "level": "township", "sort": 0},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.get(object_type="orgs.org", action="create")
    assert entry.ip == "10.1.2.3" and entry.actor_name == "admin" and entry.channel == "web"


def test_admin_filters_the_log_by_user_type_and_date(client, admin, town_contact, entry):
    audit_record(actor=town_contact, action="create", obj=town_contact)
    client.force_login(admin)
    page = client.get("/audit/", {"user": "contact_a1"}).content.decode()
    assert "contact_a1" in page and "display_name" not in page
    page = client.get(
        "/audit/", {"object_type": "accounts.user", "date_from": "2000-01-01"}
    ).content.decode()
    assert "display_name" in page
