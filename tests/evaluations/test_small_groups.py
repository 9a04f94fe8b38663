"""Small groups are never shown: every breakdown of evaluation results, for every role, hides
groups with fewer forms than the one anonymity setting (GANXUN_ANONYMITY_MIN_GROUP, default 5)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from ganxun.accounts.models import Role
from ganxun.evaluations.services import evaluation_submit
from ganxun.stats.panels import satisfaction
from ganxun.stats.period import Period
from tests.evaluations.factories import form_post, make_attendance
from tests.factories import CadreFactory, make_user

pytestmark = pytest.mark.django_db


def county_leaders_and_a_township(scene, city):
    """Five forms from 东湖镇 and two from 南岭乡 (its party secretary and its head)."""
    by_unit = {city.town_a1: [], city.town_a2: []}
    for t in scene.trainees:
        if t.cadre.unit_id == city.town_a1.pk:
            by_unit[city.town_a1].append(t)
    for i in range(5 - len(by_unit[city.town_a1])):
        cadre = CadreFactory(unit=city.town_a1, name=f"镇干部{i}")
        make_attendance(scene.session, cadre)
        by_unit[city.town_a1].append(make_user(city.town_a1, Role.TRAINEE, cadre=cadre))
    for name in ("乡党委书记甲", "乡长乙"):
        cadre = CadreFactory(unit=city.town_a2, name=name)
        make_attendance(scene.session, cadre)
        by_unit[city.town_a2].append(make_user(city.town_a2, Role.TRAINEE, cadre=cadre))
    for trainee in by_unit[city.town_a1]:
        evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    for trainee, score in zip(by_unit[city.town_a2], (1, 2), strict=True):
        evaluation_submit(
            actor=trainee,
            session=scene.session,
            data=form_post(scene.program, (score,) * 5, "不满意"),
        )


def unit_table(html: str) -> str:
    return html.split('data-testid="unit-ranking"')[1].split("</table>")[0]


def test_satisfaction_by_unit_leaves_out_a_unit_of_two(client, scene, city, admin):
    # given five forms from 东湖镇 and two from 南岭乡's party secretary and head
    county_leaders_and_a_township(scene, city)
    for user in (scene.organizer, admin):
        # when the organizer or the city administrator opens the program's results
        client.force_login(user)
        html = client.get(reverse("evaluations:program", args=[scene.program.pk])).content
        table = unit_table(html.decode())
        # then 东湖镇 is listed with its five forms, and 南岭乡 (two forms) is not
        assert "东湖镇" in table and "南岭乡" not in table
        # and 南岭乡's own results page shows no figures, only that too few answered
        page = client.get(reverse("evaluations:org_results", args=[city.town_a2.pk]))
        body = page.content.decode()
        assert page.status_code == 200 and 'data-testid="below-threshold"' in body
        assert 'data-testid="dimension-mean"' not in body


def test_the_statistics_satisfaction_panel_hides_a_month_of_two(scene, city):
    # given only the two county leaders answered
    for name, score in (("县委书记甲", 1), ("县长乙", 2)):
        cadre = CadreFactory(unit=city.county_a, name=name)
        make_attendance(scene.session, cadre)
        user = make_user(city.county_a, Role.TRAINEE, cadre=cadre)
        evaluation_submit(
            actor=user, session=scene.session, data=form_post(scene.program, (score,) * 5)
        )
    # when the statistics read the county's satisfaction for the year
    year = scene.session.starts_at.year
    panel = satisfaction(city.county_a, Period.of_year(year))
    # then no month and no mean is shown
    assert panel.rows == [] and panel.summary["mean"] is None


@override_settings(GANXUN_ANONYMITY_MIN_GROUP=2)
def test_the_threshold_is_one_setting(client, scene, city):
    # given the deployment allows groups of two
    county_leaders_and_a_township(scene, city)
    client.force_login(scene.organizer)
    html = client.get(reverse("evaluations:program", args=[scene.program.pk])).content.decode()
    # then 南岭乡's two forms are shown
    assert "南岭乡" in unit_table(html)
