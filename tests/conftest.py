"""Shared fixtures: a small city (市 → 2 区县 → 乡镇 → 村) and a user for every role."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Org
from tests.factories import PASSWORD, CadreFactory, make_org, make_user


@dataclass
class City:
    city: Org
    county_a: Org
    county_b: Org
    town_a1: Org
    town_a2: Org
    town_b1: Org
    village_a1: Org
    dept_city: Org


@pytest.fixture
def city(db) -> City:
    city = make_org(None, name="甬江市", level="city", code="330200")
    county_a = make_org(city, name="东江县", level="county", code="330201")
    county_b = make_org(city, name="西山区", level="county", code="330202")
    town_a1 = make_org(county_a, name="东湖镇", level="township", code="330201001")
    town_a2 = make_org(county_a, name="南岭乡", level="township", code="330201002")
    town_b1 = make_org(county_b, name="北桥街道", level="township", code="330202001")
    village_a1 = make_org(town_a1, name="东湖村", level="village", code="330201001001")
    dept_city = make_org(city, name="市委组织部", level="department", code="330200A01")
    return City(city, county_a, county_b, town_a1, town_a2, town_b1, village_a1, dept_city)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English activates English in this thread and Django leaves it active after
    the response; every test starts and ends in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _reference_tables(request):
    """The rank table and personnel categories come from a data migration; a transactional
    test's flush empties them for the tests after it in the same worker, so seed them again."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and not {"db", "transactional_db", "live_server"} & set(names):
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(names)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from ganxun.credits.defaults import DEFAULT_REQUIREMENTS
    from ganxun.credits.models import CreditSettings, Requirement
    from ganxun.orgs.services import reference_tables_ensure

    reference_tables_ensure()
    # as migration credits/0002 seeds them
    CreditSettings.objects.get_or_create(pk=1)
    if not Requirement._base_manager.exists():
        for row in DEFAULT_REQUIREMENTS:
            Requirement._base_manager.create(**row)


@pytest.fixture
def admin(city):
    return make_user(city.city, Role.ADMIN, username="admin")


@pytest.fixture
def town_contact(city):
    """A unit contact of 东湖镇: sees 东湖镇 and 东湖村 only."""
    return make_user(city.town_a1, Role.UNIT_CONTACT, username="contact_a1")


@pytest.fixture
def cadres(city):
    """Two cadres in 东湖镇's subtree and two outside it."""
    return {
        "inside": CadreFactory(unit=city.town_a1, name="张三"),
        "inside_village": CadreFactory(unit=city.village_a1, name="李四"),
        "other_town": CadreFactory(unit=city.town_a2, name="王五"),
        "other_county": CadreFactory(unit=city.town_b1, name="赵六"),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def unscoped_block():
    with unscoped():
        yield


__all__ = ["PASSWORD"]
