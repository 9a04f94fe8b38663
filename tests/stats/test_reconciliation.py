"""The same figure everywhere: a known dataset's totals on the dashboard page, in the Excel
export and from ``ganxun stats --json`` agree with each other and with the hand count."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from ganxun.stats.period import Period
from ganxun.stats.report import stats_report
from tests.stats import dataset
from tests.stats.pages import headline, number, page_tables, workbook_sheets

pytestmark = pytest.mark.django_db


def unit_rows(rows):
    return [tuple(number(v) if i else v for i, v in enumerate(r)) for r in rows]


def test_dashboard_export_and_cli_agree_with_the_hand_count(city, admin, client):
    # given the known dataset
    dataset.build(city, admin)
    want = dataset.CITY_2030
    # when the city's 2030 figures are read from the selector, the page, the export and the CLI
    report = stats_report(city.city, Period.of_year(2030))
    client.force_login(admin)
    html = client.get(f"/stats/?org={city.city.pk}&year=2030").content.decode()
    export = client.get(f"/stats/export/?org={city.city.pk}&year=2030")
    sheets = workbook_sheets(export.content)
    out = StringIO()
    call_command("stats", "--year", "2030", "--org", city.city.code, "--json", stdout=out)
    cli = json.loads(out.getvalue())
    # then the selector matches the hand count
    assert report.headline == want
    # and the page shows the same headline figures
    for key, page_key in [
        ("programs", "programs"),
        ("sessions", "sessions"),
        ("person_times", "person-times"),
        ("trainees", "trainees"),
        ("attendances", "attendances"),
        ("coverage", "coverage"),
        ("interactive_share", "interactive"),
    ]:
        assert str(headline(html, page_key)) == str(want[key]), key
    # and the same units, with totals that add up
    tables = page_tables(html)
    units = unit_rows(tables["units"][1:])
    assert units[:-1] == dataset.CITY_UNITS
    assert units[-1] == ("合计", 5, 6, 5, 8, "80.0")
    # and the Excel sheets carry the same numbers
    overview = {r[0]: r[1] for r in sheets["总体情况"] if r and r[0]}
    assert overview["参训人次"] == 6 and overview["到课人次"] == 8
    assert overview["培训班（期）"] == 2 and overview["课次"] == 4
    assert Decimal(str(overview["学时"])) == Decimal("15.5")
    excel_units = [
        (r[0], r[1], r[2], r[3], r[4], None if r[5] is None else f"{r[5]:.1f}")
        for r in sheets["按单位"]
        if r and r[0]
    ]
    assert excel_units[:-1] == dataset.CITY_UNITS
    # and the CLI's JSON is the same headline and the same unit table
    assert cli["headline"] == want
    cli_units = next(t for t in cli["tables"] if t["title"] == "按单位")["rows"]
    assert [tuple(r) for r in cli_units[:-1]] == dataset.CITY_UNITS


def test_channels_forms_and_budget_execution_match_the_hand_count(city, admin, client):
    # given the known dataset
    dataset.build(city, admin)
    # when the city's 2030 dashboard is opened
    client.force_login(admin)
    tables = page_tables(client.get(f"/stats/?org={city.city.pk}&year=2030").content.decode())
    # then channels: 本地集中 P1 (3 人次, 5 到课), 域外 P2 (3, 2), 远程 only S4's attendance
    channels = {r[0]: [number(v) for v in r[1:]] for r in tables["channels"][1:]}
    assert channels["本地集中培训"] == [1, 3, 3, 5]
    assert channels["域外/外出培训"] == [1, 3, 3, 2]
    assert channels["远程/空中课堂"] == [0, 0, 0, 1]
    assert channels["合计"] == [2, 6, None, 8]
    # and teaching forms: 2 lectures, 1 case, 1 seminar
    forms = {r[0]: number(r[2]) for r in tables["forms"][1:]}
    assert forms == {"专题讲座": 2, "案例教学": 1, "研讨式": 1, "合计": 4}
    # and ranks: 乡科级正职 a1 (2 人次) and x (retired, 1 人次)
    ranks = {r[0]: [number(v) for v in r[1:]] for r in tables["ranks"][1:]}
    assert ranks["乡科级正职"] == [1, 3, 2, "100.0"]
    assert ranks["一般干部"] == [2, 2, 2, "100.0"]
    # and the category 年轻干部: a1 (2) + b1 (1)
    assert tables["categories"][1] == ["年轻干部", "3", "2"]
    # and the budget of P1: 10,000 budgeted, 10,000 in, 3,500.50 spent, 35.0%
    budget = {r[0]: r[1] for r in tables["budgets"][1:]}
    assert budget["预算金额"] == "10,000.00" and budget["支出合计"] == "3,500.50"
    assert budget["执行率（%）"] == "35.0"


def test_drilling_down_to_a_county_shows_its_towns_and_its_own_totals(city, admin, client):
    # given the known dataset and the city's dashboard
    dataset.build(city, admin)
    client.force_login(admin)
    html = client.get(f"/stats/?org={city.city.pk}&year=2030").content.decode()
    # when the link of 东江县 in the unit table is followed
    assert f'href="/stats/?org={city.county_a.pk}&amp;year=2030"' in html
    county = client.get(f"/stats/?org={city.county_a.pk}&year=2030").content.decode()
    # then the county's own figures and its towns are shown
    for key, value in dataset.COUNTY_A_2030.items():
        assert headline(county, key.replace("_", "-")) == str(value), key
    units = unit_rows(page_tables(county)["units"][1:])
    assert units[:-1] == dataset.COUNTY_A_UNITS
