"""List pages and exports run a bounded number of queries whatever the row count."""

import pytest
from django.urls import reverse

from ganxun.accounts.models import Role
from ganxun.core.audit import audit_record
from ganxun.core.resources import REGISTRY
from tests.factories import CadreFactory, CategoryFactory, make_user
from tests.resource_samples import SAMPLES, registered

PAGES = [
    "/",
    "/cadres/",
    "/cadres/export.xlsx",
    "/accounts/users/",
    "/audit/",
    "/orgs/",
    "/api/cadres",
]


def grow(city, n):
    cats = [CategoryFactory(code=f"c{i}", name=f"类别{i}") for i in range(3)]
    for i in range(n):
        cadre = CadreFactory(unit=city.village_a1 if i % 2 else city.town_b1)
        cadre.categories.set(cats[: i % 3 + 1])
        user = make_user(city.town_a1, Role.TRAINEE, Role.LECTURER)
        audit_record(actor=user, action="create", obj=cadre, changes={"name": [None, cadre.name]})


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_rows(client, admin, city, url, django_assert_max_num_queries):
    client.force_login(admin)
    grow(city, 3)
    few = count_queries(client, url, django_assert_max_num_queries)
    grow(city, 30)
    many = count_queries(client, url, django_assert_max_num_queries)
    assert many <= few, f"{url}: {few} queries with 3 rows, {many} with 33"
    assert many <= 20


# --- every registered resource's list (ganxun.core.resources.REGISTRY) ----------------------


@pytest.mark.parametrize("key", registered())
def test_resource_lists_do_not_grow_with_rows(client, admin, city, key):
    resource = REGISTRY[key]
    url = reverse(resource.url("list"))
    client.force_login(admin)
    for _i in range(3):
        SAMPLES[key](city.county_a)
    few = count_queries(client, url, None)
    for _i in range(30):
        SAMPLES[key](city.county_a)
    many = count_queries(client, url, None)
    assert many <= few, f"{url}: {few} queries with 3 rows, {many} with 33"
    assert many <= 25
