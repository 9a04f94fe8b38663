"""Scoping over HTTP: a township's unit contact cannot see, search, export or fetch by API,
nor reach by guessing ids, anything outside the township."""

import io
import re

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ganxun.accounts.models import Role
from ganxun.accounts.services import api_token_create
from ganxun.core.jobs import job_start
from ganxun.core.resources import REGISTRY
from tests.budgets.factories import foreign_budgets
from tests.catalog.factories import foreign_catalog
from tests.checkin.factories import foreign_checkin
from tests.credits.factories import foreign_credits
from tests.enrollment.factories import foreign_enrollment
from tests.evaluations.factories import foreign_evaluations
from tests.factories import make_user
from tests.learning.factories import foreign_learning
from tests.messaging.told_factories import foreign_messaging
from tests.needs.factories import foreign_needs
from tests.outcomes.factories import foreign_outcomes
from tests.programs.factories import foreign_programs
from tests.resource_samples import SAMPLES, registered

OUTSIDER = "赵六"  # a cadre of 北桥街道, 西山区


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


@pytest.fixture
def foreign(city, cadres):
    """Objects that belong to another county: an org, a cadre, a user, a job and a token."""
    other_admin = make_user(city.county_b, Role.ADMIN, username="west_admin")
    token, _raw = api_token_create(actor=other_admin, name="西山签到机")
    job = job_start(actor=other_admin, kind="trainee_accounts", title="x", params={})
    needs, programs = foreign_needs(city, other_admin), foreign_programs(city, other_admin)
    reminders = {  # 催办 and switches take a survey's or a program's id
        "reminders/chase/surveys/": needs["needs/"],
        "reminders/": programs["programs/"],
    }
    return {
        **reminders,
        "orgs/": city.town_b1.pk,
        "cadres/": cadres["other_county"].pk,
        "accounts/users/": other_admin.pk,
        "accounts/tokens/": token.pk,
        "jobs/": job.pk,
        "notices/templates/": "enrollment_confirmed",  # a kind: global, the role decides
        **foreign_catalog(city, other_admin),
        **foreign_credits(city, other_admin),
        **needs,
        **programs,
        **foreign_checkin(city, other_admin),
        **foreign_evaluations(city, other_admin),
        **foreign_enrollment(city, other_admin),
        **foreign_budgets(city, other_admin),
        **foreign_outcomes(city, other_admin),
        **foreign_messaging(city, other_admin),
        **foreign_learning(city, other_admin),
    }


def fill(pattern: str, ids: dict) -> str | None:
    for prefix, pk in ids.items():
        if pattern.startswith(prefix):
            path = re.sub(r"<(int|uuid|slug):\w+>", str(pk), pattern)
            return "/" + path
    return None


def test_every_url_refuses_objects_of_another_org(client, town_contact, foreign):
    # given a unit contact of 东湖镇, signed in
    client.force_login(town_contact)
    reached = 0
    for pattern in walk():
        if "<" not in pattern or pattern.startswith(("api/", "pick/")):  # picker: test_picker.py
            continue
        url = fill(pattern, foreign)
        assert url, f"no foreign object to try on {pattern}"
        # when the contact guesses the id of an object of 西山区
        for method in (client.get, client.post):
            response = method(url)
            # then it is neither shown nor changed: 404 (or 403 for pages the role lacks)
            assert response.status_code in (403, 404, 405), (
                method.__name__,
                url,
                response.status_code,
            )
            assert OUTSIDER.encode() not in response.content
        reached += 1
    assert reached >= 10


def test_list_pages_and_search_show_only_the_township(client, town_contact, cadres):
    client.force_login(town_contact)
    page = client.get("/cadres/").content.decode()
    assert "张三" in page and "李四" in page
    assert "王五" not in page and OUTSIDER not in page
    searched = client.get("/cadres/", {"q": OUTSIDER}).content.decode()
    assert "共 0 人" in searched
    tail = cadres["other_county"].id_number[-4:]
    assert OUTSIDER not in client.get("/cadres/", {"q": tail}).content.decode()


def test_unit_filter_with_a_foreign_unit_id_is_not_found(client, town_contact, city):
    client.force_login(town_contact)
    assert client.get("/cadres/", {"unit": city.town_b1.pk}).status_code == 404


def test_export_contains_only_the_township(client, town_contact, cadres):
    client.force_login(town_contact)
    response = client.get("/cadres/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"张三", "李四"}


def test_api_returns_only_the_township_and_404_for_guessed_ids(client, city, cadres):
    contact = make_user(city.town_a1, Role.UNIT_CONTACT, Role.ADMIN, username="contact_api")
    _token, raw = api_token_create(actor=contact, name="测试")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/cadres", **auth).json()
    assert {c["name"] for c in listed["results"]} == {"张三", "李四"}
    assert client.get(f"/api/cadres/{cadres['other_county'].pk}", **auth).status_code == 404
    assert client.get(f"/api/orgs/{city.town_b1.code}", **auth).status_code == 404
    assert client.get("/api/cadres", {"q": OUTSIDER}, **auth).json()["count"] == 0


def test_anonymous_visitors_are_sent_to_login(client, cadres):
    response = client.get("/cadres/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/cadres").status_code == 401


def test_pages_a_role_lacks_are_forbidden(client, city):
    trainee = make_user(city.town_a1, Role.TRAINEE)
    client.force_login(trainee)
    for url in ("/cadres/", "/orgs/", "/accounts/users/", "/audit/", "/cadres/export.xlsx"):
        assert client.get(url).status_code == 403, url


# --- the permission matrix of every registered resource (ganxun.core.resources.REGISTRY) ---


def test_every_registered_resource_has_a_sample():
    assert registered(), "no resource registered"
    assert set(registered()) <= set(SAMPLES), "add the new resource to tests/resource_samples.py"


@pytest.mark.parametrize("key", registered())
def test_registered_resource_pages_follow_their_policies(client, city, key):
    resource = REGISTRY[key]
    own = SAMPLES[key](city.county_a)
    foreign = SAMPLES[key](city.county_b)
    pages = {
        "list": (reverse(resource.url("list")), False),
        "detail": (reverse(resource.url(), args=[own.pk]), False),
        "create": (reverse(resource.url("create")), True),
        "edit": (reverse(resource.url("edit"), args=[own.pk]), True),
    }
    for role in (Role.ADMIN, Role.ORGANIZER, Role.REVIEWER, Role.LECTURER, Role.UNIT_CONTACT):
        # given a user of 东江县 with one role
        user = make_user(city.county_a, role)
        client.force_login(user)
        for view, (url, edits) in pages.items():
            allowed = resource.can_edit(user) if edits else resource.can_view(user)
            # when they open each page: shown when the resource's policy allows the role
            status = client.get(url).status_code
            assert status == (200 if allowed else 403), (role, view, url, status)
        if resource.can_view(user):
            # and another county's object is not found, to read or to edit
            for view in ("", "edit"):
                url = reverse(resource.url(view), args=[foreign.pk])
                status = client.get(url).status_code
                assert status in ((404,) if view == "" or resource.can_edit(user) else (403,))
            assert str(foreign).encode() not in client.get(pages["list"][0]).content
