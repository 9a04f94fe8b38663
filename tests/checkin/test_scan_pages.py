"""The phone flow: scan → sign in → confirmation; expired and forged codes; the long session
trainees keep on their own phone while staff keep the 30-minute idle logout."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from ganxun.checkin import codes
from ganxun.checkin.models import Attendance
from ganxun.programs.models import Session
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def scan_url(session, venue, now=None):
    return reverse("checkin:scan", args=[codes.make_code(session.pk, venue.pk, now=now)])


def test_scan_then_sign_in_then_confirmation(client, klass):
    # given a trainee not yet signed in on the phone
    url = scan_url(klass.session, klass.hall)
    # when she scans, she is sent to sign in
    first = client.get(url)
    assert first.status_code == 302 and "/accounts/login/" in first["Location"]
    # and signs in with her ID number
    login = client.post(
        reverse("accounts:login"),
        {"username": klass.alice.cadre.id_number, "password": PASSWORD, "next": url},
    )
    assert login.status_code == 302 and login["Location"] == url
    # then, back at the scan link, she is checked in and sees the confirmation
    done = client.get(url, follow=True)
    page = done.content.decode()
    assert "签到成功" in page and "风险防范专题" in page and "县委党校报告厅" in page
    assert Attendance._base_manager.filter(cadre=klass.alice.cadre).count() == 1


def test_a_code_that_expires_while_signing_in_still_counts(client, klass):
    # given a code scanned (not signed in) while it was still valid, 200 seconds ago
    shown = time.time() - 200
    url = scan_url(klass.session, klass.hall, now=shown)
    with mock.patch("ganxun.checkin.codes.time.time", return_value=shown + 20):
        client.get(url)
    # when she finishes signing in two minutes later (the code itself has expired)
    client.force_login(klass.alice)
    response = client.get(url)
    # then the scan she made in the room is honoured
    assert response["Location"] == reverse("checkin:done", args=[klass.session.pk])
    assert Attendance._base_manager.filter(cadre=klass.alice.cadre).exists()


def test_a_forwarded_photo_of_the_code_is_refused(client, klass):
    # given a code photographed two minutes ago and sent to a colleague at home
    url = scan_url(klass.session, klass.hall, now=time.time() - 120)
    client.force_login(klass.bob)
    response = client.get(url)
    assert response.status_code == 400
    assert 'data-code="code_expired"' in response.content.decode()
    assert not Attendance._base_manager.exists()


def test_a_forged_code_is_refused(client, klass):
    client.force_login(klass.bob)
    response = client.get(reverse("checkin:scan", args=["1.1.1:forged"]))
    assert response.status_code == 404 and "签到码无效" in response.content.decode()


def test_not_enrolled_trainee_sees_a_clear_refusal(client, klass):
    client.force_login(klass.outsider)
    response = client.get(scan_url(klass.session, klass.hall))
    assert response.status_code == 403
    assert "不在本次课的学员名单" in response.content.decode()


def test_a_geofenced_venue_asks_for_the_position_then_checks_it(client, klass):
    hall = klass.hall
    hall.latitude, hall.longitude, hall.geofence_m = 29.868336, 121.543990, 150
    hall.save()
    client.force_login(klass.alice)
    url = scan_url(klass.session, hall)
    # when she opens the link, the page asks for the location (no check-in yet)
    asked = client.get(url)
    assert "data-geo-form" in asked.content.decode()
    assert not Attendance._base_manager.exists()
    # and a position 1 km away is refused with a clear message
    far = client.post(url, {"lat": "29.8773", "lng": "121.5440"})
    assert far.status_code == 400 and "签到范围" in far.content.decode()
    # and the classroom's own position is accepted
    near = client.post(url, {"lat": "29.86835", "lng": "121.54400"})
    assert near.status_code == 302
    assert Attendance._base_manager.filter(cadre=klass.alice.cadre).exists()


def test_the_confirmation_links_the_evaluation_and_shows_late(client, klass):
    from datetime import timedelta

    Session._base_manager.filter(pk=klass.session.pk).update(
        starts_at=klass.session.starts_at - timedelta(minutes=30)
    )
    client.force_login(klass.alice)
    page = client.get(scan_url(klass.session, klass.hall), follow=True).content.decode()
    assert any(f"迟到 {m} 分钟" in page for m in (34, 35, 36))
    form = reverse("evaluations:session_form", args=[klass.session.pk])
    assert f'href="{form}" data-testid="evaluation-link"' in page


def test_the_confirmation_of_somebody_else_is_not_found(client, klass):
    client.force_login(klass.bob)
    assert client.get(reverse("checkin:done", args=[klass.session.pk])).status_code == 404


def test_a_trainee_checks_out_from_the_confirmation(client, klass):
    Session._base_manager.filter(pk=klass.session.pk).update(requires_checkout=True)
    client.force_login(klass.alice)
    client.get(scan_url(klass.session, klass.hall))
    client.post(reverse("checkin:check_out_self", args=[klass.session.pk]))
    row = Attendance._base_manager.get(cadre=klass.alice.cadre)
    # the class runs three hours, she left at once: early by about 2 h 55 min
    assert row.checked_out_at is not None and row.early_minutes > 170


# --- how long a sign-in lasts, per role ------------------------------------------------------


def _age_out(client, seconds):
    session = client.session
    session["last_seen"] = int(time.time()) - seconds
    session.save()


def test_a_trainee_stays_signed_in_on_the_phone_for_weeks(client, klass):
    client.force_login(klass.alice)
    client.get(reverse("programs:my"))
    # the session cookie itself outlives the default 12 hours
    assert client.session.get_expiry_age() >= 29 * 24 * 3600
    _age_out(client, 3 * 24 * 3600)  # three days without using the phone
    assert client.get(reverse("programs:my")).status_code == 200


def test_staff_are_still_signed_out_after_thirty_idle_minutes(client, klass):
    client.force_login(klass.organizer)
    client.get(reverse("checkin:index"))
    assert client.session.get_expiry_age() <= 12 * 3600
    _age_out(client, 31 * 60)
    response = client.get(reverse("checkin:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_trainee_who_is_also_staff_keeps_the_short_timeout(client, klass):
    from ganxun.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=klass.alice, role=Role.UNIT_CONTACT)
    client.force_login(klass.alice)
    client.get(reverse("programs:my"))
    _age_out(client, 31 * 60)
    assert client.get(reverse("programs:my")).status_code == 302
