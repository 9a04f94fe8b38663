"""A department proposes a course on a phone; a reviewer scores it and the organizer takes it
through two rounds (初选, 定稿) into the training menu; the department sees it selected."""

import pytest
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.catalog import services
from tests.browser.conftest import DESKTOP, sign_in
from tests.factories import PASSWORD, make_org, make_user


@pytest.fixture
def signed_in(browser, live_server):
    """Desktop pages signed in as given users; closed before the live server stops."""
    contexts = []

    def open_page(user):
        ctx = browser.new_context(locale="zh-CN", **DESKTOP)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts
        sign_in(page, live_server, user.username, PASSWORD)
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def run_round(organizer, reviewer, live_server, call_url: str, name: str, score: str) -> None:
    """Open a round, have the reviewer score the one proposal, advance it and close the round."""
    organizer.goto(call_url)
    organizer.get_by_label("下一轮名称").fill(name)
    organizer.get_by_role("button", name="开启评审轮次").click()
    organizer.get_by_role("heading", name=f"·{name}").wait_for()
    round_url = organizer.url
    # the reviewer scores it (the row is swapped in place by htmx)
    reviewer.goto(round_url)
    reviewer.get_by_label("评分").fill(score)
    reviewer.get_by_label("评审意见").fill("贴近基层实际")
    reviewer.get_by_role("button", name="提交").click()
    expect(reviewer.get_by_test_id("my-score")).to_have_text(f"已评 {score} 分")
    # the organizer sees the score, advances the proposal and closes the round
    organizer.reload()
    assert organizer.get_by_test_id("avg-score").inner_text() == f"{score}.0"
    organizer.get_by_role("button", name="通过").click()
    expect(organizer.get_by_test_id("decision")).to_have_text("通过")
    organizer.get_by_role("button", name="结束本轮").click()
    organizer.get_by_role("heading", name="评审轮次").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_department_proposal_goes_through_two_rounds_into_the_menu(
    city, signed_in, phone, live_server
):
    # given a city call for proposals with one reviewing leader, and a department's contact
    health = make_org(city.city, name="市卫健委", level="department")
    contact = make_user(health, Role.UNIT_CONTACT, username="wjw")
    organizer_user = make_user(city.city, Role.ORGANIZER, username="jiaowu")
    reviewer_user = make_user(city.city, Role.REVIEWER, username="leader")
    call = services.call_save(
        actor=organizer_user,
        call=None,
        title="周末知行学堂 专业课程征集",
        guidance="围绕疫情防控、风险防范、数字化改革申报课程。",
        reviewers=[reviewer_user],
    )
    call_url = f"{live_server.url}/catalog/calls/{call.pk}/"

    # when the department's contact proposes a course on a phone
    sign_in(phone, live_server, contact.username, PASSWORD)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="课程申报").click()
    phone.get_by_role("link", name="申报课程").click()
    assert "疫情防控" in phone.get_by_test_id("guidance").inner_text()
    phone.get_by_label("课程名称").fill("市域疫情防控机制")
    phone.get_by_label("主讲人姓名").fill("张平")
    phone.get_by_label("主讲人职务").fill("市人大常委会主任")
    phone.get_by_label("教学形式").select_option(label="案例教学")
    phone.get_by_label("授课提纲").fill("一、指挥体系\n二、案例复盘\n三、工作方法")
    phone.get_by_label("针对的需求").fill("新提任干部应急处置经验不足")
    phone.get_by_role("button", name="保存").click()
    assert phone.get_by_test_id("proposal-status").inner_text() == "已申报"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # and the organizer runs it through 初选 and 定稿 with the reviewer's scores
    organizer = signed_in(organizer_user)
    reviewer = signed_in(reviewer_user)
    run_round(organizer, reviewer, live_server, call_url, "初选", "86")
    run_round(organizer, reviewer, live_server, call_url, "定稿", "92")
    organizer.get_by_role("button", name="生成培训菜单").click()

    # then the menu lists the course, published in the catalogue with its lecturer
    menu = organizer.get_by_test_id("menu")
    assert "市域疫情防控机制" in menu.inner_text() and "张平" in menu.inner_text()
    assert organizer.get_by_test_id("call-status").first.inner_text() == "已定稿"
    menu.get_by_role("link", name="市域疫情防控机制").click()
    assert organizer.get_by_test_id("course-status").inner_text() == "已发布"

    # and the department sees its proposal selected
    phone.goto(f"{live_server.url}/catalog/proposals/")
    row = phone.get_by_test_id("my-proposals")
    assert "入选菜单" in row.get_by_test_id("proposal-status").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
