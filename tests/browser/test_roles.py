"""Each role signs in and sees its own navigation and home panel; the trainee on a phone."""

import pytest

from ganxun.accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user

EXPECTED_NAV = {
    Role.ADMIN: [
        "首页",
        "组织机构",
        "干部名册",
        "人员类别",
        "课程与师资",
        "培训项目",
        "需求调研",
        "学时达标",
        "统计报表",
        "账号管理",
        "接口令牌",
        "审计日志",
    ],
    Role.ORGANIZER: [
        "首页",
        "组织机构",
        "干部名册",
        "课程与师资",
        "培训项目",
        "需求调研",
        "学时达标",
        "统计报表",
    ],
    Role.REVIEWER: ["首页", "课程与师资", "提纲审核"],
    Role.LECTURER: ["首页", "课程与师资", "我的授课"],
    Role.UNIT_CONTACT: [
        "首页",
        "组织机构",
        "干部名册",
        "课程申报",
        "调训报名",
        "请假审批",
        "调研进度",
        "学用成果",
        "学时达标",
    ],
}


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
    nav = desktop.get_by_test_id("nav").locator("a.nav-link").all_inner_texts()
    assert [t.strip() for t in nav] == EXPECTED_NAV[role]
    assert desktop.get_by_test_id(f"panel-{role}").is_visible()


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
