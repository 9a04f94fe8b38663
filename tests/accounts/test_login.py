"""Login security: argon2, lockout after 5 failures for 15 minutes, idle logout, password rules,
forced change of an initial password, ID-number sign-in for trainees."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from ganxun.accounts import services
from ganxun.accounts.errors import AccountError
from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from tests.factories import PASSWORD, CadreFactory, make_user


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def axes_on(settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    return settings


def test_right_password_signs_in_and_is_audited(client, admin):
    response = post_login(client, "admin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action="login", actor=admin).exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(client, admin, axes_on, settings):
    # given five wrong passwords
    for _ in range(5):
        response = post_login(client, "admin", "Wrong@Pass1")
    # then even the right password is refused with the lockout page
    response = post_login(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert "锁定15分钟" in response.content.decode()
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5


def test_four_failures_do_not_lock(client, admin, axes_on):
    for _ in range(4):
        post_login(client, "admin", "Wrong@Pass1")
    assert post_login(client, "admin", PASSWORD).status_code == 302


def test_idle_session_is_logged_out_after_thirty_minutes(client, admin):
    client.force_login(admin)
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302


def test_initial_password_must_be_changed_before_anything_else(client, city):
    user = make_user(city.city, Role.ADMIN, must_change_password=True)
    client.force_login(user)
    assert client.get("/cadres/")["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Fresh#2026x", "new_password2": "Fresh#2026x"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Fresh#2026x")
    assert client.get("/cadres/").status_code == 200


@pytest.mark.parametrize(
    "weak",
    ["Ab1!", "alllowercase1", "ALLUPPER!!", "12345678"],
)
def test_passwords_need_eight_characters_of_three_classes(city, admin, weak):
    with pytest.raises(AccountError) as exc:
        services.user_create(
            actor=admin,
            username="new",
            display_name="新人",
            org=city.city,
            roles=[Role.ORGANIZER],
            password=weak,
        )
    assert exc.value.code == "weak_password"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_stored_as_argon2_hashes(city, admin):
    user = services.user_create(
        actor=admin,
        username="hashcheck",
        display_name="哈希",
        org=city.city,
        roles=[Role.ORGANIZER],
        password="Strong#Pass9",
    )
    assert identify_hasher(user.password).algorithm == "argon2"


def test_trainee_signs_in_with_the_id_number(client, city):
    cadre = CadreFactory(unit=city.town_a1)
    make_user(city.town_a1, Role.TRAINEE, username="xy9", cadre=cadre)
    response = post_login(client, cadre.id_number.lower(), PASSWORD)
    assert response.status_code == 302


def test_generated_passwords_pass_the_house_rules(city, admin):
    for _ in range(20):
        services.user_create(
            actor=admin,
            username=f"g{_}",
            display_name="x",
            org=city.city,
            roles=[Role.LECTURER],
            password=services.generate_password(),
        )


def test_wrong_passwords_during_the_lockout_do_not_extend_it(client, admin, axes_on):
    """One wrong attempt every few minutes must not hold somebody's account locked for ever."""
    from unittest import mock

    from django.utils import timezone

    start = timezone.now()
    clock = {"now": start}
    with mock.patch("axes.handlers.proxy.now", lambda: clock["now"]):
        for _ in range(5):
            post_login(client, "admin", "Wrong@Pass1")
        assert post_login(client, "admin", PASSWORD).status_code == 429
        # an attacker keeps trying while the account is locked…
        for minutes in (5, 10, 14):
            clock["now"] = start + timedelta(minutes=minutes)
            assert post_login(client, "admin", "Wrong@Pass1").status_code == 429
        # …yet 15 minutes after the fifth failure the owner signs in
        clock["now"] = start + timedelta(minutes=15, seconds=5)
        response = post_login(client, "admin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
