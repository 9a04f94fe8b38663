"""Ranks read through the correspondence table, and training on promotion (任职培训 within one
year, 条例 第十四条) with the promotion date taken from the career history."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from ganxun.credits.models import Channel
from ganxun.credits.selectors import compliance_report, promotion_training
from ganxun.credits.views import promotions_shown
from ganxun.orgs import services
from ganxun.orgs.models import PersonnelCategory, RankTitle
from ganxun.orgs.roster.parsing import RANK_WORDS
from tests.credits.factories import make_entry
from tests.orgs.roster_files import person_id

TODAY = date.today()


def register(actor, unit, n, rank: str, *, start: date, category="事业单位人员", name=None):
    data = services.CadreData(
        name=name or f"干部{n}",
        id_number=person_id(n),
        unit=unit,
        rank="",
        rank_title=RankTitle.objects.get(name=rank),
        personnel_category=PersonnelCategory.objects.get(name=category),
        position="站长",
        start=start,
    )
    return services.cadre_create(actor=actor, data=data)


def promote(actor, cadre, rank: str, on: date, position="镇长"):
    data = services.CadreData(
        name=cadre.name,
        id_number=cadre.id_number,
        unit=cadre.unit,
        rank="",
        rank_title=RankTitle.objects.get(name=rank),
        personnel_category=cadre.personnel_category,
        position=position,
        start=on,
    )
    return services.cadre_update(actor=actor, cadre=cadre, data=data)


def test_a_management_grade_five_institution_cadre_counts_as_county_level(city, admin):
    # given a 事业单位 cadre at 管理五级 with 100 classroom hours this year
    cadre = register(admin, city.town_a1, 1, "管理五级", start=date(2020, 1, 1))
    make_entry(cadre, date(TODAY.year, 3, 1), 100, Channel.CENTRAL)
    # when compliance is evaluated
    report = compliance_report(city.town_a1, TODAY.year, keep="all")
    [result] = report.results
    # then the 县处级 five-year requirement applies, not the 乡科级 yearly one
    assert cadre.rank == "county_main" and result.rank == "county_main"
    names = {gap.rule.name for gap in result.gaps}
    assert "县处级以上领导干部每5年脱产培训" in names
    assert "乡科级及以下干部每年集中培训" not in names
    assert [label for key, label, _ in report.ranks] == ["县处级正职"]


def test_a_newly_promoted_township_head_inside_and_past_the_one_year_window(city, admin):
    # given two deputies promoted to 乡科级正职: one 100 days ago, one 400 days ago, each with
    # 30 classroom hours since
    recent = register(admin, city.town_a1, 2, "乡科级副职", start=date(2018, 3, 1), name="新提")
    older = register(admin, city.town_a1, 3, "乡科级副职", start=date(2018, 3, 1), name="早提")
    same = register(admin, city.town_a1, 4, "乡科级正职", start=date(2018, 3, 1), name="平调")
    promote(admin, recent, "乡科级正职", TODAY - timedelta(days=100))
    promote(admin, older, "乡科级正职", TODAY - timedelta(days=400))
    promote(admin, same, "一级主任科员", TODAY - timedelta(days=50))  # same level: no promotion
    make_entry(recent, TODAY - timedelta(days=90), 30, Channel.CENTRAL)
    make_entry(older, TODAY - timedelta(days=390), 30, Channel.CENTRAL)
    make_entry(older, TODAY - timedelta(days=420), 80, Channel.CENTRAL)  # before promotion
    # when the unit's training on promotion is listed
    checks = {c.name: c for c in promotion_training(city.town_a1, today=TODAY)}
    # then the recent one is inside the year with what is left and the days remaining
    assert set(checks) == {"新提", "早提"}
    new = checks["新提"]
    assert new.state == "inside" and new.after == "section_main"
    assert new.promoted_on == TODAY - timedelta(days=100)
    assert new.counted == 30.0 and new.missing == new.rule.required - 30.0
    assert new.days_left == 265
    # and the older one is overdue: hours before the promotion do not count
    late = checks["早提"]
    assert late.state == "overdue" and late.counted == 30.0


def test_training_completed_within_the_year_clears_the_promotion(city, admin):
    cadre = register(admin, city.town_a1, 5, "乡科级副职", start=date(2018, 3, 1))
    promote(admin, cadre, "乡科级正职", TODAY - timedelta(days=400))
    [check] = promotion_training(city.town_a1, today=TODAY)
    make_entry(cadre, TODAY - timedelta(days=200), check.rule.required, Channel.CENTRAL)
    [check] = promotion_training(city.town_a1, today=TODAY)
    assert check.state == "done" and check.missing == 0


@pytest.mark.parametrize(
    ("word", "level"), [("正科", "section_main"), ("四级调研员", "county_deputy")]
)
def test_level_words_for_lists_of_levels_still_read(word, level):
    assert RANK_WORDS[word] == level


def test_the_page_lists_the_most_urgent_promotions_and_counts_the_rest():
    # given 3 overdue, 60 inside their year and 5 done (a city has thousands in two years)
    def check(state, days, unit):
        return SimpleNamespace(state=state, due=TODAY + timedelta(days=days), unit_name=unit)

    checks = [check("inside", d, f"单位{d % 7}") for d in range(1, 61)]
    checks += [check("overdue", -d, "单位X") for d in (5, 10, 20)]
    checks += [check("done", 30, "单位Y") for _ in range(5)]
    # when the page picks what to show
    shown = promotions_shown(checks)
    # then every overdue one and the soonest due are listed, at most 20, grouped by unit
    listed = shown["promotions"]
    assert len(listed) == 20 and shown["promotions_hidden"] == 43
    assert sum(p.state == "overdue" for p in listed) == 3
    assert max(p.due for p in listed if p.state == "inside") == TODAY + timedelta(days=17)
    assert [p.unit_name for p in listed] == sorted(p.unit_name for p in listed)
    # and the counts name every state
    assert shown["promotion_counts"] == {"done": 5, "inside": 60, "overdue": 3}


def test_the_compliance_page_states_the_promotion_counts(city, admin, client):
    recent = register(admin, city.town_a1, 6, "乡科级副职", start=date(2018, 3, 1), name="新提")
    promote(admin, recent, "乡科级正职", TODAY - timedelta(days=100))
    client.force_login(admin)
    page = client.get(f"/credits/org/{city.town_a1.pk}/").content.decode()
    assert "已逾期 0 人，一年期内未完成 1 人，已完成 0 人。" in page
    assert "新提" in page
