"""Rules and settings belong to an organization: only the owner's administrators change them.
A county administrator cannot edit the city's requirement (550 → 551), the crediting settings,
restore the defaults or start the whole-tree recompute — but may add its own, stricter rule,
which binds only its own cadres."""

from datetime import date
from decimal import Decimal

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.credits import ledger
from ganxun.credits.models import CreditSettings, Requirement
from ganxun.credits.selectors import compliance_report
from ganxun.credits.services import requirement_save
from tests.credits.factories import make_entry
from tests.factories import CadreFactory, make_user
from tests.test_scoping_http import walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rules():
    ledger.forget_settings()
    yield
    ledger.forget_settings()


def city_rule() -> Requirement:
    Requirement.objects.all().delete()
    return Requirement.objects.create(
        name="县处级五年550学时",
        ranks=["county_main", "county_deputy", "section_main"],
        period=Requirement.Period.YEAR,
        amount=Decimal("550"),
        source="干部教育培训工作条例",
    )


def form(req: Requirement, amount: str) -> dict:
    return {
        "name": req.name,
        "ranks": req.ranks,
        "period": req.period,
        "amount": amount,
        "unit": req.unit,
        "source": req.source,
        "sort": "0",
        "is_active": "on",
    }


def test_a_county_administrator_changes_no_city_wide_rule_by_any_url(client, city):
    # given the city's 550-学时 requirement and 东江县's administrator, signed in
    rule = city_rule()
    county_admin = make_user(city.county_a, Role.ADMIN, username="dongjiang_admin")
    client.force_login(county_admin)
    # when every rules and settings URL is posted to (the edit with the city rule's id)
    tried = 0
    for pattern in walk():
        if not pattern.startswith("credits/rules/") or pattern in (
            "credits/rules/",  # the list, read-only
            "credits/rules/new/",  # a county may add its own
        ):
            continue
        url = "/" + pattern.replace("<int:pk>", str(rule.pk))
        settings = {"minutes_per_hour": "60", "hours_per_day": "8", "late_rule": "full"}
        response = client.post(url, {**form(rule, "551"), **settings, "teaching_factor": "5"})
        # then each is refused
        assert response.status_code in (403, 404), (url, response.status_code)
        tried += 1
    assert tried >= 4
    # and nothing changed
    rule.refresh_from_db()
    assert rule.amount == Decimal("550")
    assert CreditSettings.current().minutes_per_hour == 45
    with pytest.raises(PermissionDenied):
        requirement_save(actor=county_admin, requirement=rule, data={"amount": Decimal("551")})


def test_the_city_administrator_still_changes_them(client, city, admin):
    rule = city_rule()
    client.force_login(admin)
    response = client.post(f"/credits/rules/{rule.pk}/", form(rule, "551"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == Decimal("551")


def test_a_county_may_tighten_for_its_own_cadres_only(client, city):
    # given the city asks 20 学时 a year; 东江县 adds its own 30; two cadres with 25 each
    Requirement.objects.all().delete()
    Requirement.objects.create(
        name="全市每年20学时",
        ranks=["section_main"],
        period=Requirement.Period.YEAR,
        amount=Decimal("20"),
        source="市委组织部通知",
    )
    county_admin = make_user(city.county_a, Role.ADMIN, username="dongjiang_admin")
    client.force_login(county_admin)
    response = client.post("/credits/rules/new/", {
        "name": "东江县每年30学时",
        "ranks": ["section_main"],
        "period": "year",
        "amount": "30",
        "unit": "hours",
        "source": "东江县委组织部通知",
        "sort": "1",
        "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302
    own = Requirement.objects.get(name="东江县每年30学时")
    assert own.org_id == city.county_a.pk
    east = CadreFactory(unit=city.town_a1, rank="section_main")
    west = CadreFactory(unit=city.town_b1, rank="section_main")
    for cadre in (east, west):
        make_entry(cadre, date(2030, 5, 1), 25)
    # when the city's compliance is read
    report = compliance_report(city.city, 2030, keep="all")
    results = {r.cadre_id: r for r in report.results}
    # then the 东江县 cadre falls short of the county's 30; the 西山区 cadre meets the city's 20
    assert not results[east.pk].compliant and results[west.pk].compliant
    assert [g.rule.name for g in results[west.pk].gaps] == ["全市每年20学时"]
    # and the county administrator may edit its own rule
    assert client.get(f"/credits/rules/{own.pk}/").status_code == 200
