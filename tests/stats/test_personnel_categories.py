"""The statistics break trainees down by 人员类别 (公务员, 参公, 事业 …) as they do by rank: on the
dashboard and in the Excel export, the category of the program's first day, and a category with
fewer trainees than the anonymity threshold left out."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from ganxun.orgs import services
from ganxun.orgs.models import PersonnelCategory
from ganxun.stats.period import Period
from ganxun.stats.report import stats_report
from tests.factories import CadreFactory
from tests.orgs.roster_files import person_id
from tests.programs.factories import enroll, make_program

pytestmark = pytest.mark.django_db


def _trained(city, admin):
    """Six 公务员 and two 事业单位人员 of 东湖镇 in a 2025 program; one more 公务员 untrained."""
    civil = PersonnelCategory.objects.get(name="公务员")
    public = PersonnelCategory.objects.get(name="事业单位人员")
    people = [CadreFactory(unit=city.town_a1, personnel_category=civil) for _ in range(7)]
    people += [CadreFactory(unit=city.town_a1, personnel_category=public) for _ in range(2)]
    program = make_program(city.city, organizer=admin, start=date(2025, 3, 1))
    enroll(program, people[:6] + people[7:])
    return people


def _row(table, label):
    return next(row for row in table.rows if row[0] == label)


def test_trainees_by_category_with_small_groups_left_out(city, admin, client, settings):
    _trained(city, admin)
    client.force_login(admin)
    page = client.get(f"/stats/?org={city.city.pk}&year=2025").content.decode()
    section = page.split('data-testid="table-personnel-categories"', 1)[1].split("</table>", 1)
    # 公务员: 7 active, 6 trained (6 人次), coverage 85.7 %; 事业 (2 trainees < 5) is not shown
    assert "公务员" in section[0] and "85.7" in section[0]
    assert "事业单位人员" not in section[0]
    assert "不足 5 人的类别不单列" in section[1][:300]
    # with a threshold of 2, both are listed, in the Excel export too
    settings.GANXUN_ANONYMITY_MIN_GROUP = 2
    export = client.get(f"/stats/export/?org={city.city.pk}&year=2025")
    book = load_workbook(io.BytesIO(export.content))
    sheet = next(s for s in book.worksheets if "按人员类别" in s.title)
    rows = {r[0]: r[1:4] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["公务员"] == (7, 6, 6) and rows["事业单位人员"] == (2, 2, 2)


def test_the_category_counted_is_the_one_held_when_the_program_began(city, admin, settings):
    settings.GANXUN_ANONYMITY_MIN_GROUP = 1
    # a 公务员 registered through the cadre form in 2020, trained in 2025
    data = services.CadreData(
        name="王建国",
        id_number=person_id(1),
        unit=city.town_a1,
        rank="section_deputy",
        personnel_category=PersonnelCategory.objects.get(name="公务员"),
        start=date(2020, 1, 1),
    )
    cadre = services.cadre_create(actor=admin, data=data)
    enroll(make_program(city.city, organizer=admin, start=date(2025, 3, 1)), [cadre])
    # who becomes 参公 in 2026 (the form records it in the history)
    data.personnel_category = PersonnelCategory.objects.get(name="参照公务员法管理人员")
    data.start = date(2026, 1, 1)
    services.cadre_update(actor=admin, cadre=cadre, data=data)
    # counts as 公务员 in 2025 and under 参公 among the active cadres now
    report = stats_report(city.city, Period.of_year(2025), panels_wanted=False)
    rows = {r.label: (r.cadres, r.trainees) for r in report.by_personnel_category}
    assert rows == {"公务员": (0, 1), "参照公务员法管理人员": (1, 0)}
