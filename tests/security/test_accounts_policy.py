"""Password expiry, lockout and idle timeout, and role changes by administrators only."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts import services
from ganxun.accounts.models import Role
from ganxun.accounts.security import password_expired
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry
from tests.factories import PASSWORD, make_user


def age_password(user, days: int) -> None:
    user.password_changed_at = timezone.now() - timedelta(days=days)
    user.save(update_fields=["password_changed_at"])


def test_a_staff_password_older_than_90_days_must_be_changed(client, admin):
    age_password(admin, 91)
    client.force_login(admin)
    response = client.get("/cadres/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    # after the change the pages open again
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "New@Pass2x", "new_password2": "New@Pass2x"},
    )
    assert client.get("/cadres/").status_code == 200


def test_the_limit_is_a_setting_and_zero_turns_it_off(admin, settings):
    age_password(admin, 40)
    settings.GANXUN_PASSWORD_MAX_AGE_DAYS = 30
    assert password_expired(admin)
    settings.GANXUN_PASSWORD_MAX_AGE_DAYS = 0
    assert not password_expired(admin)


def test_trainee_passwords_do_not_expire_by_default(city):
    trainee = make_user(city.town_a1, Role.TRAINEE)
    age_password(trainee, 400)
    assert not password_expired(trainee)


def test_a_trainee_who_is_also_staff_follows_the_staff_rule(city):
    user = make_user(city.town_a1, Role.TRAINEE, Role.UNIT_CONTACT)
    age_password(user, 100)
    assert password_expired(user)


def test_an_account_never_changed_counts_from_its_creation(admin):
    admin.date_joined = timezone.now() - timedelta(days=120)
    admin.save(update_fields=["date_joined"])
    assert password_expired(admin)


def test_staff_idle_for_thirty_minutes_are_signed_out_even_with_a_trainee_role(client, city):
    user = make_user(city.town_a1, Role.TRAINEE, Role.UNIT_CONTACT)
    client.force_login(user)
    client.get("/")
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_locked_account_opens_again_after_fifteen_minutes(client, admin):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "admin", "password": "Wrong@Pass1"})
    assert (
        client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code
        == 429
    )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302


def test_only_an_administrator_changes_roles(city, admin):
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    target = make_user(city.town_a1, Role.TRAINEE)
    with pytest.raises(PermissionDenied):
        services.user_update(
            actor=contact,
            user=target,
            display_name="x",
            org=city.town_a1,
            roles=[Role.ADMIN],
            is_active=True,
        )
    assert target.roles == {Role.TRAINEE}


def test_a_role_change_is_audited_with_old_and_new_roles(client, city, admin):
    target = make_user(city.town_a1, Role.TRAINEE, username="t1")
    client.force_login(admin)
    response = client.post(
        f"/accounts/users/{target.pk}/",
        {
            "display_name": "学员甲",
            "org": city.town_a1.pk,
            "roles": ["trainee", "unit_contact"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(actor=admin, action="update", object_id=str(target.pk))
    assert entry.changes["roles"] == [["trainee"], ["trainee", "unit_contact"]]


def test_a_non_administrator_cannot_reach_the_role_page(client, city):
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    target = make_user(city.town_a1, Role.TRAINEE)
    client.force_login(contact)
    assert client.post(f"/accounts/users/{target.pk}/", {"roles": ["admin"]}).status_code == 403
