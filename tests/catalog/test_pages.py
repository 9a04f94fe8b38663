"""The catalogue's pages and API: scoped, bounded in queries, and clear about bad input."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganxun.accounts.models import ApiToken, Role, hash_token
from ganxun.catalog import services
from ganxun.catalog.models import Course, Lecturer, RoundEntry, SiteVisit
from ganxun.core.scoping import unscoped
from tests.catalog.factories import (
    foreign_catalog,
    make_base,
    make_call,
    make_course,
    make_lecturer,
    make_material,
    make_proposal,
    make_site,
    make_theme,
)
from tests.factories import CategoryFactory, make_user
from tests.test_scoping_http import walk


@pytest.fixture
def organizer(city):
    """An organizer who also reviews, proposes and administers in 东江县: every page opens."""
    return make_user(
        city.county_a, Role.ADMIN, Role.ORGANIZER, Role.REVIEWER, Role.UNIT_CONTACT, username="dj"
    )


def test_every_catalogue_url_refuses_another_countys_objects(client, city, organizer):
    # given objects kept by 西山区, and an all-roles user of 东江县
    other_admin = make_user(city.county_b, Role.ADMIN, Role.ORGANIZER)
    ids = foreign_catalog(city, other_admin)
    client.force_login(organizer)
    tried = 0
    for pattern in walk():
        if not pattern.startswith("catalog/") or "<" not in pattern:
            continue
        prefix = next(p for p in ids if pattern.startswith(p))
        url = "/" + re.sub(r"<(int|uuid):\w+>", str(ids[prefix]), pattern)
        for method in (client.get, client.post):
            # when the user guesses their ids
            response = method(url)
            # then nothing is shown or changed
            assert response.status_code in (403, 404, 405), (method.__name__, url)
            assert "西山" not in response.content.decode(), url
        tried += 1
    assert tried >= 30
    with unscoped():
        assert SiteVisit.objects.count() == 1 and RoundEntry.objects.count() == 1


def test_a_trainee_reaches_no_catalogue_page_and_a_contact_only_the_proposals(client, city):
    client.force_login(make_user(city.town_a1, Role.TRAINEE))
    for url in ("/catalog/", "/catalog/courses/", "/catalog/lecturers/", "/catalog/calls/"):
        assert client.get(url).status_code == 403, url
    client.force_login(make_user(city.town_a1, Role.UNIT_CONTACT))
    assert client.get("/catalog/courses/").status_code == 403
    assert client.get("/catalog/proposals/").status_code == 200


# --- bounded queries -------------------------------------------------------------------------


def grow(city, organizer, n: int) -> None:
    """n of everything, linked the way lists show them (themes, lecturers, reviews…)."""
    theme = make_theme(city.city, f"专题{n}-{Course.objects.visible_to(organizer).count()}")
    cats = [CategoryFactory(code=f"c{i}", name=f"类别{i}") for i in range(2)]
    call = make_call(city.county_a, organizer=organizer, reviewers=[organizer])
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    for i in range(n):
        lecturer = make_lecturer(city.county_a if i % 2 else city.city, specialties="甲、乙")
        course = make_course(city.county_a, lecturers=[lecturer], theme=theme, hours=Decimal(2))
        course.target_categories.set(cats)
        make_site(city.town_a1 if i % 2 else city.city).visits.create(
            visited_on="2024-05-01", group="班", headcount=10
        )
        make_base(city.county_a).courses.add(course)
        make_material(city.city).themes.add(theme)
        make_proposal(call, city.town_a1, contact)
    rnd = services.round_open(actor=organizer, call=call, name="初选")
    with unscoped():
        for entry in RoundEntry.objects.filter(round=rnd):
            services.review_save(actor=organizer, entry=entry, score=80)


PAGES = [
    "/",
    "/catalog/",
    "/catalog/themes/",
    "/catalog/courses/",
    "/catalog/courses/?q=课程&status=published",
    "/catalog/courses/export.xlsx",
    "/catalog/lecturers/",
    "/catalog/lecturers/export.xlsx",
    "/catalog/sites/",
    "/catalog/bases/",
    "/catalog/materials/",
    "/catalog/calls/",
    "/catalog/proposals/",
    "/api/catalog/courses",
    "/api/catalog/lecturers",
]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_run_a_bounded_number_of_queries(client, city, organizer, url):
    client.force_login(organizer)
    grow(city, organizer, 2)
    few = count(client, url)
    grow(city, organizer, 20)
    many = count(client, url)
    assert many <= few, f"{url}: {few} queries with few rows, {many} with many"
    assert many <= 30  # the home page: each counter also finds where its link leads


def test_call_and_round_pages_do_not_grow_with_proposals(client, city, organizer):
    client.force_login(organizer)
    call = make_call(city.county_a, organizer=organizer, reviewers=[organizer])

    def pages_after_adding(n: int) -> list[int]:
        for _ in range(n):
            make_proposal(call, city.town_a1, organizer)
        rnd = services.round_open(actor=organizer, call=call, name=f"第{n}批")
        with unscoped():
            for entry in RoundEntry.objects.filter(round=rnd):
                services.review_save(actor=organizer, entry=entry, score=70)
                services.entry_decide(actor=organizer, entry=entry, decision="advanced")
        urls = [f"/catalog/calls/{call.pk}/", f"/catalog/rounds/{rnd.pk}/"]
        counts = [count(client, url) for url in urls]
        services.round_close(actor=organizer, rnd=rnd)
        return counts

    few = pages_after_adding(2)
    many = pages_after_adding(15)
    assert many <= few, (few, many)


# --- forms and lists -------------------------------------------------------------------------


def test_a_course_made_in_the_form_appears_in_the_filtered_list_in_its_theme_colour(
    client, city, organizer
):
    gold = make_theme(city.city, "综合能力", "#b8860b")
    lecturer = make_lecturer(city.county_a, "周明")
    client.force_login(organizer)
    response = client.post(
        "/catalog/courses/new/",
        {
            "title": "公文写作",
            "theme": gold.pk,
            "form": "workshop",
            "hours": "3",
            "status": "published",
            "lecturers": [lecturer.pk],
            "target_ranks": ["general"],
        },
    )
    assert response.status_code == 302
    page = client.get("/catalog/courses/", {"theme": gold.pk}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "公文写作" in html and "#b8860b" in html and "周明" in html
    assert "<html" not in html  # the htmx partial: just the table


def test_bad_form_input_comes_back_on_its_field(client, organizer):
    client.force_login(organizer)
    response = client.post(
        "/catalog/courses/new/",
        {"title": "x", "form": "lecture", "hours": "999", "status": "draft"},
    )
    assert response.status_code == 200 and "field-error" in response.content.decode()
    response = client.post(
        "/catalog/materials/new/", {"kind": "book", "title": "书", "isbn": "123"}
    )
    assert "ISBN“123”无效" in response.content.decode()
    with unscoped():
        assert not Course.objects.exists()


def test_a_lecturer_page_lists_courses_and_the_list_filters_by_kind(client, city, organizer):
    lecturer = make_lecturer(city.county_a, "吴芳", kind=Lecturer.Kind.SCHOLAR, is_external=True)
    make_course(city.county_a, "社会心理学", lecturers=[lecturer])
    make_lecturer(city.county_a, "郑军", kind=Lecturer.Kind.MODEL)
    client.force_login(organizer)
    assert "社会心理学" in client.get(f"/catalog/lecturers/{lecturer.pk}/").content.decode()
    listed = client.get(
        "/catalog/lecturers/", {"kind": "scholar", "external": "1"}
    ).content.decode()
    assert "吴芳" in listed and "郑军" not in listed


def test_a_site_records_visits_and_refuses_more_people_than_it_holds(client, city, organizer):
    site = make_site(city.county_a, "红旗渠精神教育点", capacity=40)
    client.force_login(organizer)
    url = f"/catalog/sites/{site.pk}/visits/"
    client.post(url, {"visited_on": "2024-05-01", "group": "青干班", "headcount": 35})
    page = client.post(
        url, {"visited_on": "2024-05-02", "group": "大班", "headcount": 60}
    ).content.decode()
    assert "最多容纳 40 人" in page
    assert "1 批 / 35 人次" in client.get(f"/catalog/sites/{site.pk}/").content.decode()


# --- the API ---------------------------------------------------------------------------------


def bearer(user) -> dict:
    """A token for any account (issuing one through the service is an administrator's act)."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="测试", prefix=raw[:8], key_hash=hash_token(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_lists_courses_and_lecturers_in_scope_only(client, city):
    auth = bearer(make_user(city.town_a1, Role.LECTURER))
    mine = make_course(city.city, "城市课程", lecturers=[make_lecturer(city.city, "钱军")])
    other = make_course(city.county_b, "西山课程")
    body = client.get("/api/catalog/courses", **auth).json()
    assert [c["title"] for c in body["results"]] == ["城市课程"]
    assert body["results"][0]["lecturers"][0]["name"] == "钱军"
    assert client.get(f"/api/catalog/courses/{mine.pk}", **auth).json()["interactive"] is False
    assert client.get(f"/api/catalog/courses/{other.pk}", **auth).status_code == 404
    assert [x["name"] for x in client.get("/api/catalog/lecturers", **auth).json()["results"]] == [
        "钱军"
    ]
    refused = client.get(
        "/api/catalog/courses", **bearer(make_user(city.town_a1, Role.UNIT_CONTACT))
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
