"""The credits API: the same compliance figures as the CLI, and clear refusals for bad years."""

from datetime import date
from decimal import Decimal

import pytest

from tests.credits.factories import make_entry, only_rule
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_a_unit_compliance_over_the_api_counts_who_met_the_requirement(client, admin, city):
    # given a 10 学时 requirement, one cadre with 12 学时 and one with 4
    only_rule(amount=Decimal("10"))
    met = CadreFactory(unit=city.town_a1, name="达标者")
    short = CadreFactory(unit=city.town_a1, name="未达标")
    make_entry(met, date(2025, 5, 1), 12)
    make_entry(short, date(2025, 5, 1), 4)
    client.force_login(admin)
    # when the township's compliance for 2025 is fetched
    response = client.get(f"/api/credits/compliance/{city.town_a1.code}?year=2025")
    # then both are counted and one is compliant
    assert response.status_code == 200
    assert response.json()["compliant"] == 1 and response.json()["cadres"] == 2


@pytest.mark.parametrize("year", [-4527, 0, 744524, 2**31])
def test_an_impossible_year_is_refused_not_a_server_error(client, admin, city, year):
    client.force_login(admin)
    response = client.get(f"/api/credits/compliance/{city.town_a1.code}?year={year}")
    assert response.status_code == 422
