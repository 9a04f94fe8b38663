"""A cadre answers a needs survey on a 360 px phone by personal link; the administrator's chart."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.needs import links, services
from ganxun.needs.models import Respondent
from ganxun.needs.targeting import Targeting
from ganxun.surveys.models import Response
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user


@pytest.fixture
def invitation(city):
    admin = make_user(city.city, Role.ADMIN, username="needs_admin")
    CadreFactory(unit=city.town_a1, name="陈晓明")
    survey = services.needs_survey_create(actor=admin, org=city.city, template="needs_default")
    services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    services.needs_survey_open(
        actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=3)
    )
    with unscoped():
        respondent = Respondent.objects.get(survey=survey)
    return admin, survey, respondent


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_a_cadre_answers_by_link_on_a_phone_saves_a_draft_and_submits_once(
    invitation, phone, live_server
):
    _admin, survey, respondent = invitation
    link = f"{live_server.url}{links.link_path(respondent)}"
    # given the personal link opened on a 360 px phone, with no account and no password
    phone.goto(link)
    assert phone.get_by_role("heading", name=survey.title).is_visible()
    assert fits(phone)
    # when the cadre picks two topics, a rating and writes a need, then saves a draft
    phone.get_by_label("数字化改革").check()
    phone.get_by_label("风险防范和应急处置").check()
    phone.locator(".gx-rating label", has_text="5").first.click()
    need = phone.locator("textarea").first
    need.fill("希望多讲讲基层矛盾纠纷化解的实操办法")
    phone.get_by_role("button", name="保存草稿").click()
    # then the draft comes back when the link is opened again
    assert phone.get_by_text("草稿已保存").is_visible()
    phone.goto(link)
    assert phone.get_by_label("数字化改革").is_checked()
    assert need.input_value() == "希望多讲讲基层矛盾纠纷化解的实操办法"
    # when submitting with required questions left open, the page says which
    phone.get_by_role("button", name="提交").click()
    assert phone.get_by_test_id("form-errors").is_visible()
    assert phone.get_by_test_id("question-error").first.is_visible()
    assert fits(phone)
    # and after answering everything the submission lands on the thanks page
    for place, label in enumerate(("政治能力", "调查研究能力", "科学决策能力"), start=1):
        row = phone.locator(".gx-rank-row", has_text=label)
        row.locator("select").select_option(str(place))
    for option in ("案例教学", "本地领导干部", "周末", "1天"):
        phone.get_by_label(option, exact=True).check()
    phone.get_by_role("button", name="提交").click()
    assert phone.get_by_test_id("thanks").is_visible()
    assert fits(phone)
    # then opening the link again shows the thanks page, and exactly one response exists
    phone.goto(link)
    assert phone.get_by_test_id("thanks").is_visible()
    with unscoped():
        assert Response.objects.filter(respondent=respondent, status="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_closed_survey_link_says_so_on_the_phone(invitation, phone, live_server):
    admin, survey, respondent = invitation
    services.needs_survey_close(actor=admin, survey=survey)
    phone.goto(f"{live_server.url}{links.link_path(respondent)}")
    assert "调研已经结束" in phone.get_by_test_id("link-message").inner_text()
    assert fits(phone)


@pytest.mark.django_db(transaction=True)
def test_the_administrator_sees_the_cross_tab_chart(invitation, desktop, live_server):
    admin, survey, _respondent = invitation
    sign_in(desktop, live_server, admin.username, PASSWORD)
    desktop.goto(f"{live_server.url}/needs/{survey.pk}/analysis/")
    assert desktop.get_by_test_id("crosstab").is_visible()
    desktop.locator("#crosstab-chart canvas").wait_for()
