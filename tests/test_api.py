"""The JSON API: token auth, scoped reads, coded refusals, no 500 on malformed input."""

import pytest

from ganxun.accounts.models import Role
from ganxun.accounts.services import api_token_create
from tests.factories import make_user


@pytest.fixture
def api(client, city):
    contact = make_user(city.town_a1, Role.UNIT_CONTACT, Role.ADMIN, username="api_contact")
    _token, contact_raw = api_token_create(actor=contact, name="联络员")

    def call(method, url, **kwargs):
        return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {contact_raw}", **kwargs)

    return call


def test_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/cadres" in schema["paths"]


def test_create_cadre_returns_the_normalised_record(api, city):
    response = api(
        "post",
        "/api/cadres",
        content_type="application/json",
        data={
            "name": "吴静",
            "id_number": "11010519491231002x",
            "unit_code": city.town_a1.code,
            "rank": "general",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # the answer masks the number like every page; the full one is a separate, audited request
    assert body["id_number"] == "110***********002X" and body["gender"] == "F"
    full = api("post", f"/api/cadres/{body['id']}/id-number").json()
    assert full["id_number"] == "11010519491231002X"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (
            {
                "name": "吴静",
                "id_number": "110105194912310021",
                "unit_code": "330201001",
                "rank": "general",
            },
            400,
            "invalid_id_number",
        ),
        (
            {
                "name": "吴静",
                "id_number": "11010519491231002X",
                "unit_code": "330202001",
                "rank": "general",
            },
            404,
            "not_found",
        ),
        (
            {
                "name": "吴静",
                "id_number": "11010519491231002X",
                "unit_code": "330201001",
                "rank": "emperor",
            },
            400,
            "invalid_rank",
        ),
    ],
)
def test_refusals_carry_a_stable_code(api, city, payload, status, code):
    response = api("post", "/api/cadres", content_type="application/json", data=payload)
    assert response.status_code == status
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    "body", ["not json", "[]", '{"name": 5}', '{"name": "a", "id_number": null}']
)
def test_malformed_payloads_get_422_not_500(api, city, body):
    response = api("post", "/api/cadres", content_type="application/json", data=body)
    assert response.status_code in (400, 422)


def test_bad_token_is_401(client, db):
    assert client.get("/api/orgs", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_a_cadre_is_registered_with_rank_and_category_as_offices_write_them(api, city):
    payload = {
        "name": "吴静",
        "id_number": "11010519491231002X",
        "unit_code": "330201001",
        "rank_title": "管理８级 ",
        "personnel_category": "参公",
        "position": "站长",
    }
    response = api("post", "/api/cadres", content_type="application/json", data=payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rank_title"], body["rank"]) == ("管理八级", "section_deputy")
    assert body["rank_system"] == "事业单位管理岗位"
    assert body["personnel_category"] == "参照公务员法管理人员"
    unknown = api(
        "post",
        "/api/cadres",
        content_type="application/json",
        data={**payload, "id_number": "110105194912310021", "personnel_category": "合同工"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "invalid_personnel_category"
