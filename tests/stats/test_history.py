"""Statistics of a past period count a cadre in the unit they were in then (career history)."""

from datetime import date

from ganxun.orgs import services
from ganxun.orgs.models import RankTitle
from ganxun.stats import figures
from ganxun.stats.period import Period
from tests.orgs.roster_files import person_id
from tests.programs.factories import enroll, make_program


def test_a_transferred_cadre_still_counts_in_the_old_unit_for_the_earlier_year(city, admin):
    # given a township deputy of 东湖镇 since 2020, trained in a 2025 program
    data = services.CadreData(
        name="王建国",
        id_number=person_id(1),
        unit=city.town_a1,
        rank="",
        rank_title=RankTitle.objects.get(name="乡科级副职"),
        start=date(2020, 1, 1),
    )
    cadre = services.cadre_create(actor=admin, data=data)
    enroll(make_program(city.city, organizer=admin, start=date(2025, 3, 1)), [cadre])
    # when he is transferred to 北桥街道 (西山区) and promoted in 2026
    data.unit, data.start = city.town_b1, date(2026, 1, 1)
    data.rank_title = RankTitle.objects.get(name="乡科级正职")
    services.cadre_update(actor=admin, cadre=cadre, data=data)
    # then 2025's figures still count him in 东湖镇 at his 2025 rank
    year = Period.of_year(2025)
    trained = figures.trainees_by_group(city.city, year)
    assert [key[:2] for key in trained] == [(city.town_a1.pk, "section_deputy")]
    assert figures.trainees_by_group(city.county_a, year) != {}
    assert figures.trainees_by_group(city.county_b, year) == {}
