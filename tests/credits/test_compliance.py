"""Requirements applied: caps per channel, five rolling years, days, per unit and rank, the CLI."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from ganxun.credits.models import Channel, CreditSettings, Requirement
from ganxun.credits.selectors import compliance_report, compliance_summary
from ganxun.orgs.models import Cadre
from tests.credits.factories import make_entry, only_rule
from tests.factories import CadreFactory

pytestmark = pytest.mark.usefixtures("unscoped_block")
Y = 2025


def short_names(org, year=Y):
    report = compliance_report(org, year)
    with_names = Cadre.objects.in_bulk([s.cadre_id for s in report.shortfalls])
    return {with_names[s.cadre_id].name: s for s in report.shortfalls}


def test_online_hours_count_only_up_to_their_cap(city):
    # given 20 学时 a year, of which online may make up at most 30 % (6 学时)
    only_rule(amount=Decimal("20"), caps={str(Channel.ONLINE): 0.3})
    capped = CadreFactory(unit=city.town_a1, name="网学多")
    make_entry(capped, date(Y, 3, 1), 10, Channel.ONLINE)
    make_entry(capped, date(Y, 4, 1), 10, Channel.CENTRAL)
    enough = CadreFactory(unit=city.town_a1, name="刚好够")
    make_entry(enough, date(Y, 3, 1), 6, Channel.ONLINE)
    make_entry(enough, date(Y, 4, 1), 14, Channel.CENTRAL)
    # when the year is evaluated, then 10 online count as 6: 16 of 20, 4 missing
    short = short_names(city.town_a1)
    assert set(short) == {"网学多"}
    [gap] = short["网学多"].short
    assert (gap.counted, gap.missing) == (16.0, 4.0)


def test_only_listed_channels_count(city):
    only_rule(amount=Decimal("10"), channels=[Channel.CENTRAL])
    cadre = CadreFactory(unit=city.town_a1, name="只有网学")
    make_entry(cadre, date(Y, 3, 1), 30, Channel.ONLINE)
    assert set(short_names(city.town_a1)) == {"只有网学"}


def test_the_five_year_window_rolls(city):
    # given 100 学时 per five rolling years for 县处级正职
    only_rule(period=Requirement.Period.FIVE_YEARS, amount=Decimal("100"), ranks=["county_main"])
    leader = CadreFactory(unit=city.town_a1, name="县处级", rank="county_main")
    make_entry(leader, date(Y - 5, 6, 1), 30)  # six years back: outside the window for Y
    for year in range(Y - 4, Y + 1):
        make_entry(leader, date(year, 6, 1), 20)
    # when Y is evaluated the window is Y-4..Y: 100 学时, met
    assert "县处级" not in short_names(city.town_a1, Y)
    # and a year later Y-4 drops out and nothing new came in: 80, short by 20
    assert short_names(city.town_a1, Y + 1)["县处级"].short[0].missing == 20.0
    # an entry outside the window never counts towards it
    assert short_names(city.town_a1, Y + 4)["县处级"].short[0].counted == 20.0


def test_days_convert_at_the_configured_rate(city):
    only_rule(amount=Decimal("2"), unit=Requirement.Unit.DAYS)
    CreditSettings.objects.filter(pk=1).update(hours_per_day=Decimal("8"))
    from ganxun.credits import ledger

    ledger.forget_settings()
    cadre = CadreFactory(unit=city.town_a1, name="十五学时")
    make_entry(cadre, date(Y, 3, 1), 15)
    gap = short_names(city.town_a1)["十五学时"].short[0]
    assert (gap.required, gap.missing) == (16.0, 1.0)
    ledger.forget_settings()


def test_reversed_entries_no_longer_count(city, town_contact):
    from ganxun.credits.services import entry_reverse

    only_rule(amount=Decimal("10"))
    cadre = CadreFactory(unit=city.town_a1, name="被冲销")
    entry = make_entry(cadre, date(Y, 3, 1), 12)
    assert "被冲销" not in short_names(city.town_a1)
    entry_reverse(actor=town_contact, entry=entry, reason="误录")
    assert "被冲销" in short_names(city.town_a1)


def test_units_ranks_and_the_cli_agree(city):
    # given 10 学时 a year; two compliant cadres and one short in 东江县, one short in 西山区,
    # and a retired cadre who is not counted
    only_rule(amount=Decimal("10"), ranks=["section_main", "general"])
    ok_a1 = CadreFactory(unit=city.town_a1)
    ok_a2 = CadreFactory(unit=city.village_a1, rank="general")
    CadreFactory(unit=city.town_a2)
    CadreFactory(unit=city.town_b1)
    gone = CadreFactory(unit=city.town_a1, status=Cadre.Status.RETIRED)
    for cadre in (ok_a1, ok_a2, gone):
        make_entry(cadre, date(Y, 5, 1), 10)
    make_entry(ok_a1, date(Y - 1, 5, 1), 50)  # another year does not help
    # when the city's compliance is asked for
    out = StringIO()
    call_command("compliance", "--year", str(Y), "--org", "330200", "--json", stdout=out)
    # then the CLI prints the totals and one row per child unit, in the documented shape
    assert json.loads(out.getvalue()) == {
        "cadres": 4,
        "compliant": 2,
        "units": [
            {"code": "330200A01", "cadres": 0, "compliant": 0},
            {"code": "330201", "cadres": 3, "compliant": 2},
            {"code": "330202", "cadres": 1, "compliant": 0},
        ],
    }
    # and the selector behind the pages says the same; ranks add up
    assert compliance_summary(city.city, Y) == json.loads(out.getvalue())
    report = compliance_report(city.county_a, Y)
    assert {label: (t.cadres, t.compliant) for _, label, t in report.ranks} == {
        "乡科级正职": (2, 1),
        "一般干部": (1, 1),
    }


def test_cli_refuses_an_unknown_org(city):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有编码"):
        call_command("compliance", "--year", "2025", "--org", "nope", "--json")


def test_compliance_runs_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    only_rule(amount=Decimal("10"))
    for i in range(30):
        cadre = CadreFactory(unit=city.town_a1 if i % 2 else city.village_a1)
        make_entry(cadre, date(Y, 1 + i % 12, 1), i % 15)
    with django_assert_max_num_queries(5):
        report = compliance_report(city.county_a, Y)
    assert report.total.cadres == 30
