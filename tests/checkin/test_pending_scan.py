"""The remembered scan: it survives every sign-in step (login, forced password change, 2FA) and
ends in the check-in; it belongs to the browser that scanned, is never extended and is used once.
"""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from ganxun.accounts import totp
from ganxun.accounts.models import TwoFactor
from ganxun.checkin import codes, pending
from ganxun.checkin.models import Attendance
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin@Mima2026"


def scan_url(session, venue, now=None):
    return reverse("checkin:scan", args=[codes.make_code(session.pk, venue.pk, now=now)])


def at(moment):
    """Run the app's clocks (code slots, the remembered scan) at ``moment``."""
    return mock.patch("time.time", return_value=moment)


def sign_in(client, user, url):
    return client.post(
        reverse("accounts:login"),
        {"username": user.cadre.id_number, "password": PASSWORD, "next": url},
        follow=True,
    )


def change_password(client):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def checked_in(user) -> bool:
    return Attendance._base_manager.filter(cadre=user.cadre).exists()


def test_a_new_account_scans_signs_in_changes_password_and_lands_checked_in(client, klass):
    # given a freshly created account (initial password) and a phone not signed in
    alice = klass.alice
    alice.must_change_password = True
    alice.save(update_fields=["must_change_password"])
    url = scan_url(klass.session, klass.hall)
    # when she scans, signs in and is made to change her password
    assert "/accounts/login/" in client.get(url)["Location"]
    forced = sign_in(client, alice, url)
    assert forced.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert not checked_in(alice)
    done = change_password(client)
    # then she lands on the confirmation, checked in once
    page = done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("checkin:done", args=[klass.session.pk])
    assert "签到成功" in page and "风险防范专题" in page
    assert Attendance._base_manager.filter(cadre=alice.cadre).count() == 1
    # and the scan was used: the session keeps nothing, the home page stays the home page
    assert pending.KEY not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_the_scan_survives_a_password_change_that_outlasts_the_code(client, klass):
    # given a code scanned while fresh by a new account
    alice = klass.alice
    alice.must_change_password = True
    alice.save(update_fields=["must_change_password"])
    shown = time.time()
    url = scan_url(klass.session, klass.hall, now=shown)
    with at(shown + 5):
        client.get(url)
    # when login and the password change end four minutes later (the code long expired)
    with at(shown + 240):
        sign_in(client, alice, url)
        done = change_password(client)
    # then the scan made in the room counts
    assert done.redirect_chain[-1][0] == reverse("checkin:done", args=[klass.session.pk])
    assert checked_in(alice)


def test_two_factor_enrolment_on_the_way_keeps_the_scan(client, klass, settings):
    # given a role that must use two-factor login and an account without an authenticator
    settings.GANXUN_2FA_REQUIRED_ROLES = ["trainee"]
    alice = klass.alice
    alice.must_change_password = True
    alice.save(update_fields=["must_change_password"])
    url = scan_url(klass.session, klass.hall)
    client.get(url)
    sign_in(client, alice, url)
    enrol = change_password(client)
    # when the password change leads to enrolment, she binds her authenticator
    assert enrol.redirect_chain[-1][0] == reverse("accounts:two_factor_setup")
    assert not checked_in(alice)
    secret = TwoFactor.objects.get(user=alice).secret
    codes_page = client.post(reverse("accounts:two_factor_setup"), {"code": totp.totp(secret)})
    assert "恢复码" in codes_page.content.decode()
    assert not checked_in(alice)  # the recovery codes are shown first, undisturbed
    # then "进入首页" takes her to the confirmation instead
    done = client.get(reverse("home"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("checkin:done", args=[klass.session.pk])
    assert "签到成功" in done.content.decode() and checked_in(alice)


def test_the_second_login_step_keeps_the_scan(client, klass):
    # given an account with an authenticator
    alice = klass.alice
    secret = totp.new_secret()
    TwoFactor.objects.create(user=alice, secret=secret, confirmed_at="2026-01-01T00:00:00Z")
    url = scan_url(klass.session, klass.hall)
    client.get(url)
    second = sign_in(client, alice, url)
    assert second.redirect_chain[-1][0] == reverse("accounts:two_factor_verify")
    done = client.post(
        reverse("accounts:two_factor_verify"), {"code": totp.totp(secret)}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("checkin:done", args=[klass.session.pk])
    assert checked_in(alice)


def test_a_forwarded_link_opened_in_another_browser_after_its_slot_is_refused(client, klass):
    # given a trainee in the room scans (signed out): her browser remembers the scan
    shown = time.time()
    url = scan_url(klass.session, klass.hall, now=shown)
    with at(shown + 3):
        assert client.get(url).status_code == 302
    # when she forwards the link and a colleague opens it at home a minute and a half later
    elsewhere = Client()
    with at(shown + 90):
        refused = elsewhere.get(url)
    # then it is refused as expired: no sign-in page, nothing remembered there
    assert refused.status_code == 400
    assert 'data-code="code_expired"' in refused.content.decode()
    assert pending.KEY not in elsewhere.session
    # and signing in there does not check the colleague in either
    with at(shown + 100):
        elsewhere.force_login(klass.bob)
        assert elsewhere.get(url).status_code == 400
    assert not checked_in(klass.bob)


def test_the_remembered_scan_is_not_extended_by_reopening_the_link(client, klass):
    # given a code scanned signed out, then the link reopened (still signed out) nine minutes on
    shown = time.time()
    url = scan_url(klass.session, klass.hall, now=shown)
    with at(shown + 1):
        client.get(url)
    with at(shown + 540):
        assert client.get(url).status_code == 302  # back to the login page
    # when sign-in completes eleven minutes after the scan
    with at(shown + 660):
        client.force_login(klass.alice)
        response = client.get(url)
    # then the code counts as expired: ten minutes from the scan, not from the last visit
    assert response.status_code == 400 and not checked_in(klass.alice)


def test_the_remembered_scan_is_used_once(client, klass):
    # given an outsider who scanned signed out and was refused after signing in
    shown = time.time()
    url = scan_url(klass.session, klass.hall, now=shown)
    with at(shown + 1):
        client.get(url)
    with at(shown + 120):
        client.force_login(klass.outsider)
        assert client.get(url).status_code == 403  # not on the list
        # when the same browser opens the (now expired) link again
        again = client.get(url)
    # then it is expired: the scan was spent on the first try
    assert again.status_code == 400 and 'data-code="code_expired"' in again.content.decode()


def test_a_sign_in_finished_too_late_says_so(client, klass):
    # given a scan remembered while signed out
    shown = time.time()
    url = scan_url(klass.session, klass.hall, now=shown)
    with at(shown + 1):
        client.get(url)
    # when sign-in completes after the ten minutes and she lands on the home page
    with at(shown + 11 * 60):
        client.force_login(klass.alice)
        home = client.get(reverse("home"))
    # then she is told to scan again, not silently left unchecked
    assert home.status_code == 200
    assert "请重新扫描投影屏上的二维码" in home.content.decode()
    assert pending.KEY not in client.session and not checked_in(klass.alice)


def test_a_signed_in_phone_gets_no_grace_from_a_scan_it_did_not_make(client, klass):
    # given a signed-in phone opening a link photographed two minutes ago
    client.force_login(klass.alice)
    response = client.get(scan_url(klass.session, klass.hall, now=time.time() - 120))
    # then it is refused, and nothing is remembered for later
    assert response.status_code == 400 and pending.KEY not in client.session
