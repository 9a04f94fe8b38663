"""身份证号 through the API (issue 25 items 1 and 5): masked like the pages, a full number only
on an explicit per-person request or for a token created with that scope — each audited; the
API follows idle logout and the forced password change for browser sessions."""

import time

import pytest

from ganxun.accounts.models import Role
from ganxun.accounts.services import api_token_create
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from tests.factories import CadreFactory, make_user


@pytest.fixture
def roster(city):
    """A township roster as a unit contact keeps it: 30 people with real-looking numbers."""
    return [CadreFactory(unit=city.town_a1) for _ in range(30)]


@pytest.fixture
def county_admin(city):
    return make_user(city.county_a, Role.ADMIN, username="county_admin")


def sensitive_views() -> int:
    with unscoped():
        return AuditEntry.objects.filter(action="view_sensitive").count()


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_bulk_list_by_token_masks_every_number(client, county_admin, roster):
    # given a county administrator's ordinary integration token
    _token, raw = api_token_create(actor=county_admin, name="网络学院同步")
    # when it pulls the roster in pages of 500
    body = client.get("/api/cadres", {"size": 500}, **bearer(raw)).json()
    # then no full number leaves: each is masked as on the roster page
    assert body["count"] == 30
    full = {c.id_number for c in roster}
    shown = [c["id_number"] for c in body["results"]]
    assert not full & set(shown)
    assert all("*" in n and len(n) == 18 for n in shown)
    masked = {c.pk: c.id_number_masked for c in roster}
    assert all(masked[c["id"]] == c["id_number"] for c in body["results"])


def test_browser_session_gets_masked_numbers_list_and_detail(client, county_admin, roster):
    client.force_login(county_admin)
    listed = client.get("/api/cadres", {"size": 500}).json()["results"]
    detail = client.get(f"/api/cadres/{roster[0].pk}").json()
    assert all("*" in c["id_number"] for c in listed)
    assert detail["id_number"] == roster[0].id_number_masked
    assert sensitive_views() == 0


def test_one_person_on_request_is_full_and_audited(client, county_admin, roster):
    _token, raw = api_token_create(actor=county_admin, name="信息核对")
    person = roster[3]
    response = client.post(f"/api/cadres/{person.pk}/id-number", **bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"id": person.pk, "id_number": person.id_number}
    with unscoped():
        entry = AuditEntry.objects.get(action="view_sensitive")
    assert entry.object_id == str(person.pk) and entry.actor_name == "county_admin"
    assert entry.changes["via"] == [None, "接口"]


def test_an_organizer_sees_the_roster_but_cannot_reveal_a_number(client, city, roster):
    organizer = make_user(city.county_a, Role.ORGANIZER, username="org_only")
    client.force_login(organizer)
    assert client.get(f"/api/cadres/{roster[0].pk}").json()["id_number"] == (
        roster[0].id_number_masked
    )
    response = client.post(f"/api/cadres/{roster[0].pk}/id-number")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert sensitive_views() == 0


def test_scoped_token_reads_full_numbers_and_each_call_is_audited(client, county_admin, roster):
    # given an integration that truly needs numbers: a token created with the scope
    _token, raw = api_token_create(actor=county_admin, name="人事系统对接", reads_id_numbers=True)
    # when it lists and fetches
    listed = client.get("/api/cadres", {"size": 500}, **bearer(raw)).json()["results"]
    one = client.get(f"/api/cadres/{roster[5].pk}", **bearer(raw)).json()
    # then it gets the numbers, and both calls are in the audit log with whom they named
    assert {c["id_number"] for c in listed} == {c.id_number for c in roster}
    assert one["id_number"] == roster[5].id_number
    with unscoped():
        entries = list(AuditEntry.objects.filter(action="view_sensitive").order_by("pk"))
    assert len(entries) == 2
    assert sorted(entries[0].changes["cadres"][1]) == sorted(c.pk for c in roster)
    assert entries[1].changes["cadres"][1] == [roster[5].pk]
    assert "人事系统对接" in entries[0].changes["via"][1]


def test_token_page_offers_the_scope_and_shows_it(client, county_admin):
    client.force_login(county_admin)
    page = client.get("/accounts/tokens/").content.decode()
    assert "可读取完整身份证号" in page
    client.post("/accounts/tokens/", {"name": "人事系统", "reads_id_numbers": "on"})
    assert county_admin.api_tokens.get().reads_id_numbers is True
    assert "完整身份证号</span>" in client.get("/accounts/tokens/").content.decode()


# --- item 5: idle logout and forced password change cover session-authenticated API calls ---


def test_idle_browser_session_loses_api_access(client, county_admin, roster):
    client.force_login(county_admin)
    assert client.get("/api/cadres").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 3 * 3600  # left the desk three hours ago
    session.save()
    response = client.get("/api/cadres")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    # and the session is over: the next call is refused too
    assert client.get("/api/cadres").status_code == 401


def test_active_session_keeps_api_access(client, county_admin, roster):
    client.force_login(county_admin)
    session = client.session
    session["last_seen"] = int(time.time()) - 60
    session.save()
    assert client.get("/api/cadres").status_code == 200


def test_initial_password_cannot_read_the_api(client, city, roster):
    fresh = make_user(city.county_a, Role.ADMIN, username="fresh", must_change_password=True)
    client.force_login(fresh)
    response = client.get("/api/cadres", {"size": 500})
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert b"*" not in response.content and roster[0].name.encode() not in response.content


def test_tokens_are_not_touched_by_session_rules(client, county_admin, roster):
    _token, raw = api_token_create(actor=county_admin, name="签到机")
    county_admin.must_change_password = True
    county_admin.save(update_fields=["must_change_password"])
    assert client.get("/api/cadres", **bearer(raw)).status_code == 200
