"""Cross-tabs with counts worked out by hand, the significance flag, and the Excel export."""

import io
import itertools
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.analysis import crosstab, dimension
from ganxun.needs.models import Respondent
from ganxun.needs.stats import build_table, holm
from ganxun.surveys.models import Option
from tests.needs.conftest import full_answer, invite_all, person


def answer(respondent, questions, **choices):
    outcome = services.respondent_answer(
        respondent=respondent,
        data=full_answer(questions, **choices),
        submit=True,
        submission_key="k",
    )
    assert outcome.submitted


@pytest.fixture
def answered(admin, city, survey, questions, young):
    """Six submitted answers and one draft, from cadres of known rank and category.

    single choice (培训方式) : 专题讲座 = option 0, 案例教学 = option 1
      乡科级正职 ×3 : 讲座, 讲座, 案例        (one of them 年轻干部)
      一般干部   ×3 : 案例, 案例, 案例        (all three 年轻干部)
    multiple (想学什么)   : options 0 and 1 for 正职, option 1 only for 一般干部
    rating (迫切程度)     : 5, 4, 3 for 正职; 2, 2, 2 for 一般干部
    a seventh 一般干部 only saves a draft: never counted
    """
    plan = [
        ("section_main", [], 0, (0, 1), 5),
        ("section_main", [], 0, (0, 1), 4),
        ("section_main", [young], 1, (0, 1), 3),
        ("general", [young], 1, (1,), 2),
        ("general", [young], 1, (1,), 2),
        ("general", [young], 1, (1,), 2),
    ]
    for rank, cats, *_ in plan:
        person(city.town_a1, rank=rank, categories=cats)
    person(city.town_a1, rank="general")
    services.needs_survey_open(
        actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=1)
    )
    respondents = invite_all(admin, survey)
    for r, (_rank, _cats, single, multiple, rating) in zip(respondents, plan, strict=False):
        answer(r, questions, single=single, multiple=multiple, rating=rating)
    services.respondent_answer(
        respondent=respondents[-1], data=full_answer(questions), submit=False
    )
    return respondents


def labels(question):
    with unscoped():
        return [o.text for o in Option.objects.filter(question=question)]


def row(table, label):
    return next(r for r in table.rows if r.label == label)


def test_single_choice_by_rank_counts_only_submitted_answers(survey, questions, answered):
    table = crosstab(survey, questions["single"], dimension("rank"))
    assert table.columns == labels(questions["single"])
    main, general = row(table, "乡科级正职"), row(table, "一般干部")
    assert (main.n, general.n, table.total.n) == (3, 3, 6)
    assert [c.count for c in main.cells[:2]] == [2, 1]
    assert [c.percent for c in main.cells[:2]] == [66.7, 33.3]
    assert [c.count for c in general.cells[:2]] == [0, 3]
    assert [c.count for c in table.total.cells[:2]] == [2, 4]
    assert [r.label for r in table.rows] == ["乡科级正职", "一般干部"]  # empty groups are left out


def test_multiple_choice_shares_can_add_up_past_100(survey, questions, answered):
    table = crosstab(survey, questions["multiple"], dimension("rank"))
    main = row(table, "乡科级正职")
    assert [c.percent for c in main.cells[:2]] == [100.0, 100.0]
    assert [c.count for c in table.total.cells[:3]] == [3, 6, 0]


def test_rating_by_rank_has_counts_per_score_and_means(survey, questions, answered):
    table = crosstab(survey, questions["rating"], dimension("rank"))
    assert table.columns == ["1分", "2分", "3分", "4分", "5分"]
    main, general = row(table, "乡科级正职"), row(table, "一般干部")
    assert [c.count for c in main.cells] == [0, 0, 1, 1, 1] and main.mean == 4.0
    assert [c.count for c in general.cells] == [0, 3, 0, 0, 0] and general.mean == 2.0
    assert table.total.mean == 3.0


def test_by_category_a_respondent_counts_in_each_of_their_groups(survey, questions, answered):
    table = crosstab(survey, questions["single"], dimension("category"))
    young, none = row(table, "年轻干部"), row(table, "无类别")
    assert (young.n, none.n, table.total.n) == (4, 2, 6)
    assert [c.count for c in young.cells[:2]] == [0, 4]
    assert [c.count for c in none.cells[:2]] == [2, 0]


def test_other_dimensions_use_the_frozen_groups(survey, questions, answered):
    with unscoped():
        Respondent.objects.filter(survey=survey).update(unit_level="township")
    table = crosstab(survey, questions["single"], dimension("unit_level"))
    assert [(r.label, r.n) for r in table.rows] == [("乡镇（街道）", 6)]
    assert crosstab(survey, questions["single"], dimension("leader_role")).rows[0].label == "无"
    assert dimension("nonsense").code == "rank"


def test_a_clear_difference_is_flagged_and_a_small_one_is_not():
    # given 40 young cadres of whom 30 prefer case teaching, against 10 of 40 others
    columns = [("case", "案例教学"), ("lecture", "专题讲座")]
    groups = [("young", "年轻"), ("other", "其他")]
    counts = {
        ("young", "case"): 30,
        ("young", "lecture"): 10,
        ("other", "case"): 10,
        ("other", "lecture"): 30,
    }
    table = build_table(
        columns=columns,
        groups=groups,
        group_n={"young": 40, "other": 40},
        counts=counts,
        total_n=80,
        total_counts={"case": 40, "lecture": 40},
    )
    # then the young row is flagged high for case teaching and low for lectures
    assert [c.flag for c in table.rows[0].cells] == ["high", "low"]
    assert [c.flag for c in table.rows[1].cells] == ["low", "high"]
    # and a 21-vs-19 split is not flagged
    even = build_table(
        columns=columns,
        groups=groups,
        group_n={"young": 40, "other": 40},
        counts={
            ("young", "case"): 21,
            ("young", "lecture"): 19,
            ("other", "case"): 19,
            ("other", "lecture"): 21,
        },
        total_n=80,
        total_counts={"case": 40, "lecture": 40},
    )
    assert not even.flagged


def test_small_groups_are_not_tested(survey, questions, answered):
    # three against three differ completely, but groups under five are never flagged
    assert crosstab(survey, questions["single"], dimension("rank")).flagged == 0


def test_holm_adjusts_in_order_and_stays_monotone():
    adjusted = dict((what, p) for p, what in holm([(0.01, "a"), (0.04, "b"), (0.03, "c")]))
    assert adjusted == {"a": 0.03, "c": 0.06, "b": 0.06}


def test_analysis_page_and_export_of_every_table(client, admin, survey, questions, answered):
    client.force_login(admin)
    page = client.get(
        f"/needs/{survey.pk}/analysis/", {"question": questions["single"].pk, "dim": "rank"}
    )
    html = page.content.decode()
    assert "乡科级正职" in html and "2（66.7%）" in html and 'id="crosstab-data"' in html
    export = client.get(f"/needs/{survey.pk}/analysis/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    # one sheet per choice or rating question (the template has 7), five groupings on each,
    # then the 导出信息 sheet every export ends with (who exported it, when)
    assert len(book.sheetnames) == 7 + 1 and book.sheetnames[-1] == "导出信息"
    cells = [c for r in book.worksheets[0].iter_rows(values_only=True) for c in r if c]
    assert sum(1 for c in cells if str(c).startswith("按")) == 5


def test_ranking_counts_who_placed_each_option(survey, questions, answered):
    # every answer ranks the first three abilities (full_answer), so each is placed by all six
    table = crosstab(survey, questions["ranking"], dimension("rank"))
    assert [c.count for c in table.total.cells] == [6, 6, 6, 0, 0, 0, 0, 0]


def test_the_crosstab_workbook_holds_numbers_the_office_can_compute_with(
    client, admin, survey, questions, answered
):
    # when the office downloads the cross-tab workbook
    client.force_login(admin)
    export = client.get(f"/needs/{survey.pk}/analysis/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    rows = [
        row
        for sheet in book.worksheets[:-1]
        for row in sheet.iter_rows()
        if row[0].value == "乡科级正职"
    ]
    assert rows
    # then every count and share of a group is a number, never text like "2（66.7%）"
    for row in rows:
        values = [c.value for c in row[1:] if c.value is not None]
        assert values and all(isinstance(v, int | float) for v in values), values
    # and the 2 of 3 who chose an option sit beside a share of 0.667 shown as a percentage
    pairs = [
        (a, b)
        for row in rows
        for a, b in itertools.pairwise(row[1:])
        if a.value == 2 and isinstance(b.value, float) and abs(b.value - 0.667) < 0.001
    ]
    assert pairs and "%" in pairs[0][1].number_format
