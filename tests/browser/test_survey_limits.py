"""A "choose at most 3" question on a 360 px phone: the browser stops the 4th tick, and when
the limit is bypassed the server keeps every tick and puts the error beside the question."""

import pytest

from ganxun.needs import links
from tests.browser.conftest import CHROMIUM_ARGS, PHONE  # noqa: F401
from tests.browser.test_needs_survey import fits, invitation  # noqa: F401

TOPICS = ("数字化改革", "风险防范和应急处置", "基层治理", "共同富裕")


def question(page):
    return page.locator(".gx-question", has_text="您最希望在培训中学习哪些内容")


@pytest.mark.django_db(transaction=True)
def test_the_phone_stops_a_fourth_tick_on_a_choose_three_question(
    invitation,  # noqa: F811
    phone,
    live_server,
):
    _admin, _survey, respondent = invitation
    # given the personal link opened on a 360 px phone
    phone.goto(f"{live_server.url}{links.link_path(respondent)}")
    # when the cadre ticks four topics on a question that allows three
    for label in TOPICS:
        phone.get_by_label(label, exact=True).click()
    # then the fourth tick does not stay, and the question says why
    assert [phone.get_by_label(t, exact=True).is_checked() for t in TOPICS] == [
        True,
        True,
        True,
        False,
    ]
    assert question(phone).get_by_test_id("max-choices-hint").is_visible()
    assert fits(phone)


@pytest.mark.django_db(transaction=True)
def test_without_scripts_the_server_keeps_all_ticks_and_shows_the_error_beside_the_question(
    invitation,  # noqa: F811
    browser,
    live_server,
):
    _admin, _survey, respondent = invitation
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        # given the form on a phone whose browser runs no scripts (the limit is bypassed)
        page.goto(f"{live_server.url}{links.link_path(respondent)}")
        for label in TOPICS:
            page.get_by_label(label, exact=True).check()
        page.locator(".gx-rating label", has_text="4").first.click()
        # when the draft is saved
        page.get_by_role("button", name="保存草稿").click()
        # then the error stands beside that question and all four ticks are still there
        error = question(page).get_by_test_id("question-error")
        assert error.inner_text() == "最多选择 3 项。"
        assert all(page.get_by_label(t, exact=True).is_checked() for t in TOPICS)
        # and the other answer is kept too
        assert page.locator(".gx-rating input[value='4']").first.is_checked()
        assert fits(page)
    finally:
        context.close()
