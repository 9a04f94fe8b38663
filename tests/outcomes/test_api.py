"""The API: the four-level summary for staff with a token; certificate checks by code."""

import pytest

from ganxun.accounts.models import ApiToken, hash_token
from tests.outcomes.factories import make_certificate, make_followup

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    raw = ApiToken.new_raw_key()  # tokens are issued by administrators; made directly here
    ApiToken.objects.create(user=user, name="大屏", prefix=raw[:8], key_hash=hash_token(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_summary_and_a_certificate_check_by_token(client, setup):
    make_followup(setup.program, 5, [setup.chen])
    make_certificate(setup.program, setup.chen, code="ABCD2345EFGH")
    headers = auth(setup.organizer)
    body = client.get(f"/api/outcomes/programs/{setup.program.pk}/summary", **headers).json()
    assert (body["trainees"], body["graduates"], body["behaviour"]["mean"]) == (3, 1, 5.0)
    cert = client.get("/api/certificates/abcd-2345-efgh", **headers).json()
    assert (cert["name"], cert["revoked"]) == ("陈*明", False)
    unknown = client.get("/api/certificates/NOPE", **headers)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_a_trainee_token_cannot_read_the_summary(client, setup):
    response = client.get(
        f"/api/outcomes/programs/{setup.program.pk}/summary", **auth(setup.trainee)
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
