"""Aggregates with known values: means, distributions, response rates, rankings, trends,
and the functions outcomes and statistics read (progress.py)."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.evaluations.progress import forms_filled, program_reaction, satisfaction_trend
from ganxun.evaluations.selectors import dimension_results, program_results
from ganxun.evaluations.services import evaluation_submit
from tests.catalog.factories import make_lecturer
from tests.evaluations.factories import form_post, make_attendance
from tests.programs.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def groups_of_one(settings):
    """These tests check the arithmetic on a handful of forms; the anonymity threshold that
    hides small groups is tested in test_small_groups.py and test_anonymity.py."""
    settings.GANXUN_ANONYMITY_MIN_GROUP = 1


# Three forms: rating question 1 gets 5, 4, 3 (mean 4.0); question 5 ("总体") 5, 5, 2.
FORMS = [(5, 4, 4, 5, 5), (4, 4, 4, 4, 5), (3, 4, 4, 4, 2)]


@pytest.fixture
def answered(scene):
    for trainee, scores in zip(scene.trainees, FORMS, strict=False):
        evaluation_submit(
            actor=trainee,
            session=scene.session,
            data=form_post(scene.program, scores, text="希望多安排案例教学"),
        )
    return scene


def test_program_reaction_counts_forms_against_attendance_and_averages_per_question(answered):
    reaction = program_reaction(answered.program)
    # 3 forms from 6 check-ins
    assert reaction["responses"] == 3 and reaction["expected"] == 6
    assert reaction["rate"] == 0.5
    # per form means 4.6, 4.2, 3.4 → 4.07
    assert reaction["mean"] == pytest.approx(4.07)
    by_label = {q["label"]: q["mean"] for q in reaction["by_question"]}
    assert by_label == {"主题": 4.0, "内容": 4.0, "形式": 4.0, "授课教师": 4.33, "总体": 4.0}
    assert reaction["by_question"][0]["label"] == "主题"


def test_distribution_counts_each_score(answered):
    results = program_results(answered.program)
    overall = next(q for q in results["by_question"] if q["label"] == "总体")
    assert overall["distribution"] == [0, 1, 0, 0, 2] and overall["n"] == 3


def test_an_empty_program_has_no_rate_and_no_mean(scene):
    reaction = program_reaction(scene.program)
    assert reaction == {
        "responses": 0,
        "expected": 6,
        "rate": 0.0,
        "mean": None,
        "by_question": [],
    }


def test_lecturers_and_courses_are_ranked_by_mean(answered, city):
    # given a second session by another lecturer rated all 2s by one trainee
    other = make_lecturer(city.county_a, "孙老师")
    second = make_session(
        answered.program, answered.session.starts_at, answered.session.ends_at, lecturers=[other]
    )
    make_attendance(second, answered.trainees[0].cadre)
    evaluation_submit(
        actor=answered.trainees[0], session=second, data=form_post(answered.program, (2,) * 5)
    )
    results = program_results(answered.program)
    assert [(r["name"], r["responses"]) for r in results["lecturers"]] == [
        ("钱老师", 3),
        ("孙老师", 1),
    ]
    assert results["courses"][0]["name"] == "应急处置实务"


def test_forms_filled_counts_per_trainee_with_zero_for_none(answered):
    ids = [t.cadre_id for t in answered.trainees[:4]]
    assert forms_filled(answered.program, ids) == {ids[0]: 1, ids[1]: 1, ids[2]: 1, ids[3]: 0}


def test_satisfaction_trend_by_month_within_the_org_subtree(answered, city):
    today = timezone.localdate()
    month = timezone.localtime(answered.session.starts_at).strftime("%Y-%m")
    trend = satisfaction_trend(city.city, date(today.year - 1, 1, 1), today)
    assert trend == [{"month": month, "mean": pytest.approx(4.07), "responses": 3}]
    assert satisfaction_trend(city.county_b, date(today.year - 1, 1, 1), today) == []


def test_results_by_unit_of_the_trainees_and_by_course(answered, city):
    # trainees 1 and 2 are of 东湖镇, trainee 3 of 南岭乡
    east = dimension_results(answered.organizer, "org", city.town_a1)
    assert east["responses"] == 2 and east["mean"] == pytest.approx(4.4)
    assert east["expected"] == 3  # three 东湖镇 trainees checked in
    course = dimension_results(answered.organizer, "course", answered.course)
    assert course["responses"] == 3 and course["rate"] == 0.5


def test_program_page_shows_rates_rankings_and_suggestion_themes(client, answered):
    client.force_login(answered.organizer)
    page = client.get(reverse("evaluations:program", args=[answered.program.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="session-rates"' in body and "50%" in body
    assert 'data-testid="lecturer-ranking"' in body and "钱老师" in body
    assert 'data-testid="suggestion-themes"' in body and "3 条" in body
    assert "js/evaluations.js" in body and "<script>" not in body


def test_the_excel_export_holds_the_figures(client, answered):
    client.force_login(answered.organizer)
    response = client.get(reverse("evaluations:program_export", args=[answered.program.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"总体", "课次", "各题", "教师排名", "课程排名", "月度趋势", "意见建议"} <= set(
        book.sheetnames
    )
    rows = list(book["各题"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:3] == ("主题", 4.0, 3)
    assert "学员1" not in str(list(book["意见建议"].values))


def test_the_program_page_runs_a_bounded_number_of_queries(
    client, answered, django_assert_max_num_queries
):
    client.force_login(answered.organizer)
    with django_assert_max_num_queries(40):
        client.get(reverse("evaluations:program", args=[answered.program.pk]))


def test_trainees_and_unit_contacts_cannot_open_the_organizer_pages(client, answered, town_contact):
    for user in (answered.trainees[0], town_contact):
        client.force_login(user)
        url = reverse("evaluations:program", args=[answered.program.pk])
        assert client.get(url).status_code in (403, 404)


def test_the_live_rates_table_counts_a_new_form_on_its_next_poll(client, answered):
    # given the organizer's rates table shows 3 of 6
    client.force_login(answered.organizer)
    url = reverse("evaluations:program_rates", args=[answered.program.pk])
    assert "50%" in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    # when a fourth trainee submits
    evaluation_submit(
        actor=answered.trainees[3], session=answered.session, data=form_post(answered.program)
    )
    # then the next poll shows 4 forms, 67 %, for the session and the program
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert body.count("67%") == 2 and 'hx-trigger="every 30s"' in body
