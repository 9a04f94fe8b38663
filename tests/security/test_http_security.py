"""Headers, CSRF on every write (session API included), rate limits, no inline scripts."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from ganxun.accounts.models import Role
from ganxun.accounts.services import api_token_create
from ganxun.core.ratelimit import parse_rate
from tests.factories import PASSWORD, make_user
from tests.orgs.roster_files import person_id

TEMPLATES = Path(__file__).resolve().parents[2] / "ganxun" / "templates"
CADRE = {"name": "吴静", "id_number": "11010519491231002X", "rank": "general"}


@pytest.fixture
def limits_on(settings, monkeypatch, db):
    settings.GANXUN_RATELIMITS_ENABLED = True
    # The windows are fixed: hold the clock mid-window so a slow run cannot cross into the next.
    fixed = SimpleNamespace(time=lambda: 1_800_000_000.0 + 100)
    monkeypatch.setattr("ganxun.core.ratelimit.time", fixed)
    cache.clear()
    yield settings
    cache.clear()


def test_pages_carry_a_csp_without_inline_scripts_and_the_other_headers(client, admin):
    client.force_login(admin)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("script-src")[1][:20]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "geolocation=(self)" in response["Permissions-Policy"]
    cookie = client.cookies["ganxun_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_no_template_has_an_inline_script_or_event_handler():
    # the CSP forbids them: one would silently stop working in the browser
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_a_form_post_without_the_csrf_token_is_refused(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 403


def test_session_api_writes_need_the_csrf_token_but_bearer_tokens_do_not(city):
    user = make_user(city.town_a1, Role.UNIT_CONTACT, Role.ADMIN, username="api_user")
    body = json.dumps({**CADRE, "unit_code": city.town_a1.code})
    # a browser session without the token: refused (django-ninja's session auth checks CSRF)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post("/api/cadres", body, content_type="application/json")
    assert refused.status_code in (401, 403)
    # the same session with the token: accepted
    browser.get("/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/cadres", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content
    # an integration with a bearer token sends no cookie and needs no CSRF token
    _t, raw = api_token_create(actor=user, name="对接")
    other = json.dumps({**CADRE, "id_number": person_id(9), "unit_code": city.town_a1.code})
    integration = Client(enforce_csrf_checks=True)
    response = integration.post(
        "/api/cadres", other, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 201, response.content


def test_login_is_rate_limited_by_address_with_a_chinese_429_page(client, admin, limits_on):
    # an address may sign in two trainees per hall seat per five minutes: here a hall of 15
    limits_on.GANXUN_RATELIMIT_HALL = 15
    for _ in range(30):
        client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # the page itself still opens (only attempts are counted)
    assert client.get("/accounts/login/").status_code == 200


def test_limits_are_counted_per_key(limits_on):
    from ganxun.core.ratelimit import hit

    assert all(hit("t", "a", "3/m")[0] for _ in range(3))
    assert not hit("t", "a", "3/m")[0]
    assert hit("t", "b", "3/m")[0]


@pytest.mark.parametrize(
    "rate,expected", [("5/15m", (5, 900)), ("100/h", (100, 3600)), ("10/s", (10, 1))]
)
def test_rates_are_written_as_count_per_period(rate, expected):
    assert parse_rate(rate) == expected


def test_a_mistyped_rate_fails_at_once():
    with pytest.raises(ValueError):
        parse_rate("5 per minute")


def test_production_settings_turn_on_secure_cookies_and_hsts():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.production",
        "GANXUN_SECRET_KEY": "q7Vd-2LmR9xKp4TzW0bN8sYcJ6hFuE3aG1oIiP5vXnQ",
        "GANXUN_ALLOWED_HOSTS": "ganxun.example",
        "GANXUN_FIELD_KEY": "Z2FueHVuLXRlc3QtZmllbGQta2V5LTMyLWJ5dGVzISE=",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_NAME]))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    secure, csrf_secure, hsts, httponly, csrf_httponly, name = json.loads(result.stdout)
    assert secure and csrf_secure and httponly and csrf_httponly
    assert hsts >= 31536000 and name.startswith("__Host-")


def test_a_flooded_survey_link_answers_429(client, limits_on):
    from ganxun.core.ratelimit import hit

    for _ in range(60):
        hit("survey_link", "link:not-a-real-token", "60/m")
    response = client.get("/s/not-a-real-token/")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
    # another link from the same address still opens (it is counted per link)
    assert client.get("/s/another-token/").status_code == 404


def test_one_address_hammering_survey_links_is_limited(client, limits_on):
    limits_on.GANXUN_RATELIMIT_HALL = 5  # 4 requests per trainee of the hall per 5 minutes
    statuses = [client.get(f"/s/token-{n}/").status_code for n in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[20] == 429


def test_a_flooded_certificate_check_answers_429(client, limits_on):
    from ganxun.core.ratelimit import hit

    for _ in range(60):
        hit("certificate_verify", "ip:127.0.0.1", "60/m")
    response = client.get("/verify/ABCD1234/")
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()
