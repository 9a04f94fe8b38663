"""Each role signs in and sees its own navigation and home panel; the trainee on a phone."""

import pytest

from ganxun.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user

# What stands in the bar: loose entries first (the role's daily work), then groups that open
# as drop-downs (a group with one visible entry shows the entry itself).
EXPECTED_NAV = {
    Role.ADMIN: ["首页", "培训项目", "组织与干部", "培训", "资源", "统计", "系统"],
    Role.ORGANIZER: ["首页", "培训项目", "组织与干部", "培训", "资源", "统计", "消息模板"],
    Role.REVIEWER: ["首页", "提纲审核", "课程与师资"],
    Role.LECTURER: ["首页", "我的授课", "我的消息", "课程与师资"],
    Role.UNIT_CONTACT: [
        "首页",
        "课程申报",
        "调训报名",
        "请假审批",
        "调研进度",
        "学用成果",
        "组织与干部",
        "统计",
    ],
}
ADMIN_GROUPS = {
    "组织与干部": ["组织机构", "干部名册", "人员类别", "账号管理"],
    "培训": ["需求调研", "签到", "在岗情况", "意见审核", "成果审核", "自动提醒"],
    "资源": ["课程与师资", "经费", "网络课程"],
    "统计": ["学时达标", "网络学习异常", "统计报表"],
    "系统": ["消息模板", "发送渠道", "接口令牌", "审计日志"],
}
BAR_ITEMS = "[data-testid=nav] > li > a.nav-link"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_each_role_sees_its_navigation_and_home_panel_at_desktop_width(
    role, city, desktop, live_server
):
    # given an account holding one role
    user = make_user(city.county_a, role, username=f"u_{role}")
    # when it signs in
    sign_in(desktop, live_server, user.username, PASSWORD)
    # then the navigation lists exactly what that role may use, and its home panel shows
    nav = desktop.locator(BAR_ITEMS).all_inner_texts()
    assert [t.strip() for t in nav] == EXPECTED_NAV[role]
    assert desktop.get_by_test_id(f"panel-{role}").is_visible()
    # and at 1366 px the bar is one line: every item on the same row, no label wrapped
    boxes = [item.bounding_box() for item in desktop.locator(BAR_ITEMS).all()]
    assert len({round(b["y"]) for b in boxes}) == 1
    assert max(b["height"] for b in boxes) < 48


@pytest.mark.django_db(transaction=True)
def test_the_administrator_finds_every_page_in_the_groups_and_the_page_marks_its_group(
    city, desktop, live_server
):
    user = make_user(city.city, Role.ADMIN, username="u_admin")
    sign_in(desktop, live_server, user.username, PASSWORD)
    for group, entries in ADMIN_GROUPS.items():
        desktop.get_by_test_id("nav").get_by_role("button", name=group, exact=True).click()
        menu = desktop.locator(".dropdown-menu.show")
        assert [t.strip() for t in menu.locator("a").all_inner_texts()] == entries
        desktop.keyboard.press("Escape")
    desktop.get_by_test_id("nav").get_by_role("button", name="资源", exact=True).click()
    desktop.locator(".dropdown-menu.show").get_by_role("link", name="经费").click()
    desktop.wait_for_url("**/budgets/")
    group = desktop.get_by_test_id("nav").get_by_role("button", name="资源", exact=True)
    assert "active" in group.get_attribute("class")


@pytest.mark.django_db(transaction=True)
def test_trainee_signs_in_with_id_number_on_a_phone_and_sees_own_record(city, phone, live_server):
    # given a trainee account linked to a cadre
    cadre = CadreFactory(unit=city.town_a1, name="陈晓明", position="党政办科员")
    make_user(city.town_a1, Role.TRAINEE, username="xy1", cadre=cadre)
    # when the trainee signs in on a 360 px phone with the ID number
    sign_in(phone, live_server, cadre.id_number, PASSWORD)
    # then the home page shows the trainee panel, and the collapsed menu leads to the record
    assert phone.get_by_test_id("panel-trainee").is_visible()
    assert "东湖镇" in phone.get_by_test_id("panel-trainee").inner_text()
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="我的档案").click()
    assert phone.get_by_role("heading", name="陈晓明").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
