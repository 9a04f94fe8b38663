"""POST /api/checkin for kiosks: stable codes, idempotent answers, the organizer's scope."""

import pytest

from ganxun.accounts.models import ApiToken, Role, hash_token
from ganxun.checkin.models import Attendance
from ganxun.programs.models import Session
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def token_for(user) -> dict:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="签到机", prefix=raw[:8], key_hash=hash_token(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, auth, **body):
    return client.post("/api/checkin", body, content_type="application/json", **auth)


def test_a_kiosk_checks_in_by_id_number_and_a_repeat_returns_the_first_time(client, klass):
    auth = token_for(klass.organizer)
    first = post(client, auth, session=klass.session.pk, id_number=klass.carol.id_number)
    again = post(client, auth, session=klass.session.pk, cadre=klass.carol.pk)
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "checked_in"
    assert again.json()["status"] == "already_checked_in"
    assert again.json()["checked_in_at"] == first.json()["checked_in_at"]
    assert Attendance._base_manager.get().method == "api"


def test_refusals_carry_stable_codes(client, klass):
    auth = token_for(klass.organizer)
    s = klass.session.pk
    not_enrolled = post(client, auth, session=s, cadre=klass.outsider.cadre.pk)
    assert (not_enrolled.status_code, not_enrolled.json()["code"]) == (403, "not_enrolled")
    bad_number = post(client, auth, session=s, id_number="123456")
    assert bad_number.json()["code"] == "invalid_id_number"
    other_venue = post(client, auth, session=s, cadre=klass.carol.pk, venue=999999)
    assert other_venue.json()["code"] == "invalid_venue"
    Session._base_manager.filter(pk=s).update(status="cancelled")
    closed = post(client, auth, session=s, cadre=klass.carol.pk)
    assert (closed.status_code, closed.json()["code"]) == (409, "session_closed")
    assert not Attendance._base_manager.exists()


def test_a_session_of_another_county_is_not_found(client, klass, city):
    west = make_user(city.county_b, Role.ORGANIZER)
    response = post(client, token_for(west), session=klass.session.pk, cadre=klass.carol.pk)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_trainees_token_cannot_check_anybody_in(client, klass):
    response = post(
        client, token_for(klass.alice), session=klass.session.pk, cadre=klass.bob.cadre.pk
    )
    assert response.status_code == 404 and not Attendance._base_manager.exists()


def test_missing_or_malformed_input_is_a_clear_4xx(client, klass):
    auth = token_for(klass.organizer)
    assert post(client, auth, session=klass.session.pk).json()["code"] == "invalid_request"
    assert (
        client.post("/api/checkin", "{", content_type="application/json", **auth).status_code < 500
    )
    assert post(client, {}, session=klass.session.pk, cadre=1).status_code == 401


def test_ping_answers_the_tokens_user(client, klass):
    response = client.get("/api/ping", **token_for(klass.organizer))
    assert response.json() == {"user": "jiaowu"}
