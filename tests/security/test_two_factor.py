"""Two-factor login: required for administrators, optional for others, audited."""

import time

import pytest

from ganxun.accounts import totp, twofactor
from ganxun.accounts.models import RecoveryCode, Role, TwoFactor
from ganxun.core.models import AuditEntry
from tests.factories import PASSWORD, make_user


@pytest.fixture
def required(settings):
    settings.GANXUN_2FA_REQUIRED_ROLES = ["admin"]
    return settings


def enrol(client, user) -> tuple[str, list[str]]:
    """Open the enrolment page, read the secret, confirm with a code: (secret, recovery codes)."""
    client.get("/accounts/2fa/")
    secret = TwoFactor.objects.get(user=user).secret
    response = client.post("/accounts/2fa/", {"code": totp.totp(secret)})
    assert response.status_code == 200, response.content.decode()
    return secret, list(response.context["codes"])


def password_step(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_an_admin_without_2fa_is_sent_to_enrolment_and_can_do_nothing_else(client, admin, required):
    # given an administrator who has signed in with the right password but has no authenticator
    assert password_step(client, "admin").status_code == 302
    # when they open any page, they land on enrolment
    for path in ["/", "/accounts/users/", "/cadres/", "/audit/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", path
    # and the API refuses their session too
    assert client.get("/api/cadres").status_code == 403
    # the enrolment page shows a QR code and the secret
    page = client.get("/accounts/2fa/").content.decode()
    assert 'data-testid="two-factor-qr"' in page and "<svg" in page


def test_enrolment_with_a_right_code_turns_2fa_on_and_shows_hashed_recovery_codes(
    client, admin, required
):
    client.force_login(admin)
    # a wrong code enrols nothing
    client.get("/accounts/2fa/")
    response = client.post("/accounts/2fa/", {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not twofactor.is_enabled(admin)
    # the right one does, and the pages open
    _secret, codes = enrol(client, admin)
    assert len(codes) == 10 and twofactor.is_enabled(admin)
    assert client.get("/").status_code == 200
    # only hashes of the recovery codes are stored
    stored = set(RecoveryCode.objects.filter(user=admin).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert AuditEntry.objects.filter(
        object_id=str(admin.pk), changes__two_factor=[False, True]
    ).exists()
    # the secret is encrypted at rest
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactor WHERE user_id = %s", [admin.pk])
        assert cursor.fetchone()[0].startswith("gx1:")


def test_login_asks_for_the_code_after_the_password(client, admin, required):
    client.force_login(admin)
    secret, _codes = enrol(client, admin)
    client.logout()
    # when the password is right, the user is not signed in yet but asked for a code
    response = password_step(client, "admin")
    assert response["Location"] == "/accounts/2fa/verify/"
    assert client.get("/").status_code == 302  # not signed in
    # a wrong code is refused and audited
    response = client.post("/accounts/2fa/verify/", {"code": "123456"})
    assert "验证码不正确" in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed", object_id=str(admin.pk)).exists()
    # the right code signs in (and the login is audited)
    code = totp.totp(secret, time.time() + 30)  # the next step: the enrolment used this one
    response = client.post("/accounts/2fa/verify/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=admin).exists()
    # the same code cannot be used twice
    client.logout()
    password_step(client, "admin")
    assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 200


def test_a_recovery_code_works_once(client, admin, required):
    client.force_login(admin)
    _secret, codes = enrol(client, admin)
    client.logout()
    password_step(client, "admin")
    response = client.post("/accounts/2fa/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert twofactor.recovery_codes_left(admin) == 9
    client.logout()
    password_step(client, "admin")
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 200


def test_the_second_step_expires_and_cannot_be_reached_without_the_password(client, admin):
    assert client.get("/accounts/2fa/verify/")["Location"] == "/accounts/login/"


def test_2fa_is_optional_for_trainees_and_they_may_switch_it_off(client, city, required):
    trainee = make_user(city.town_a1, Role.TRAINEE, username="xy1")
    client.force_login(trainee)
    assert client.get("/").status_code == 200  # no enrolment forced
    enrol(client, trainee)
    client.post("/accounts/2fa/disable/")
    assert not twofactor.is_enabled(trainee)


def test_an_admin_cannot_switch_off_their_own_2fa(client, admin, required):
    client.force_login(admin)
    enrol(client, admin)
    client.post("/accounts/2fa/disable/")
    assert twofactor.is_enabled(admin)


def test_another_administrator_resets_a_lost_authenticator(client, city, admin, required):
    other = make_user(city.county_a, Role.ADMIN, username="admin_a")
    TwoFactor.objects.create(user=other, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00Z")
    client.force_login(admin)
    enrol(client, admin)
    response = client.post(f"/accounts/users/{other.pk}/2fa-reset/")
    assert response.status_code == 302
    assert not twofactor.is_enabled(other)
    assert AuditEntry.objects.filter(
        actor=admin, object_id=str(other.pk), changes__two_factor=[True, False]
    ).exists()


def test_a_county_admin_cannot_reset_the_city_admin(client, city, admin, required):
    county_admin = make_user(city.county_a, Role.ADMIN, username="admin_a")
    TwoFactor.objects.create(user=admin, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00Z")
    client.force_login(county_admin)
    enrol(client, county_admin)
    assert client.post(f"/accounts/users/{admin.pk}/2fa-reset/").status_code == 404
    assert twofactor.is_enabled(admin)


def _settings_value(module: str, name: str, tmp_path) -> list:
    """A setting as that settings module computes it from a clean environment."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GANXUN_2FA")}
    env |= {"GANXUN_SECRET_KEY": "x" * 60, "GANXUN_DATA_DIR": str(tmp_path)}
    code = f"import json, {module} as s; print(json.dumps(s.{name}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_demo_offers_admins_2fa_while_production_forces_it(client, admin, settings, tmp_path):
    # the embedded demo (`make run`, dev settings) requires nobody; production keeps admins
    dev = _settings_value("ganxun.config.settings.dev", "GANXUN_2FA_REQUIRED_ROLES", tmp_path)
    base = _settings_value("ganxun.config.settings.base", "GANXUN_2FA_REQUIRED_ROLES", tmp_path)
    offered = _settings_value("ganxun.config.settings.dev", "GANXUN_2FA_OFFERED_ROLES", tmp_path)
    assert dev == [] and base == ["admin"] and offered == ["admin"]

    # given the demo's settings: the admin signs in and lands on the home page, with an offer
    settings.GANXUN_2FA_REQUIRED_ROLES, settings.GANXUN_2FA_OFFERED_ROLES = dev, offered
    assert password_step(client, "admin").status_code == 302
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="two-factor-offer"' in html
    assert 'href="/accounts/2fa/"' in html
    # "稍后再说" puts the offer away for the session
    client.post("/accounts/2fa/later/")
    assert 'data-testid="two-factor-offer"' not in client.get("/").content.decode()
    client.logout()

    # given production's settings: the same admin is sent straight to enrolment
    settings.GANXUN_2FA_REQUIRED_ROLES = base
    assert password_step(client, "admin").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
