"""Needs pages walked by an administrator of another county: nothing of 西山区 is reachable."""

from ganxun.accounts.models import Role
from tests.factories import make_user
from tests.needs.factories import foreign_needs
from tests.test_scoping_http import fill, walk


def test_an_administrator_of_another_county_reaches_no_foreign_survey(client, city, cadres):
    # given a survey of 西山区 with all that hangs off it, and an administrator of 东江县
    ids = foreign_needs(city, make_user(city.county_b, Role.ADMIN, username="west"))
    client.force_login(make_user(city.county_a, Role.ADMIN, username="east"))
    reached = 0
    for pattern in walk():
        if not pattern.startswith(("needs/", "surveys/")) or "<int:" not in pattern:
            continue
        url = fill(pattern, ids)
        # when they guess the ids, then every page answers 404 (403 for the root-only taxonomy;
        # 405 for a GET of a POST-only action)
        for method in (client.get, client.post):
            status = method(url).status_code
            expected = (403, 405) if pattern.startswith("needs/topics/") else (404, 405)
            assert status in expected, (method.__name__, url, status)
        reached += 1
    assert reached >= 25
