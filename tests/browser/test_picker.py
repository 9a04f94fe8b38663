"""The searchable picker driven with the keyboard on a real page (the needs survey's targeting
units), at desktop and phone widths: search, pick, remove, pick several, save; a county
administrator is never offered an organization outside the county; nothing overflows at 360 px."""

import pytest
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.models import Respondent
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_user

COUNTY = {"东江县", "东湖镇", "南岭乡", "东湖村"}  # county_a's subtree in the `city` fixture


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_county_administrator_picks_units_with_the_keyboard_and_saves_them(
    device, city, live_server, request
):
    page = request.getfixturevalue(device)
    county_admin = make_user(city.county_a, Role.ADMIN, username="county_admin")
    survey = services.needs_survey_create(
        actor=county_admin, org=city.county_a, template="needs_default"
    )
    CadreFactory(unit=city.town_a1, name="张三")
    CadreFactory(unit=city.village_a1, name="李四")
    CadreFactory(unit=city.town_a2, name="王五")
    CadreFactory(unit=city.county_a, name="钱七")  # the county's own office: not chosen
    CadreFactory(unit=city.town_b1, name="赵六")  # another county: never reachable

    sign_in(page, live_server, county_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/needs/{survey.pk}/targeting/")
    box = page.locator("#id_units")
    options = page.locator("#id_units-list [role=option]")
    chips = page.locator(".gx-picker .gx-chip")

    def offered(count: int) -> None:  # the answer to what was typed is on screen
        expect(options).to_have_count(count)
        if count:
            expect(options.first).to_be_visible()

    # an empty box offers the county's subtree, and only it (not the city, not the other county)
    box.focus()
    offered(len(COUNTY))
    assert set(options.evaluate_all("els => els.map(e => e.dataset.label)")) == COUNTY
    box.press_sequentially("北桥")  # a township of the other county, typed by name
    expect(page.locator("#id_units-list")).to_contain_text("没有匹配的结果")
    offered(0)
    box.fill("")

    # type, ↓, Enter: a chip; Backspace in the empty box removes it
    box.press_sequentially("湖")
    offered(2)  # 东湖镇, 东湖村
    box.press("ArrowDown")
    box.press("Enter")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("东湖镇")
    expect(page.get_by_test_id("matched")).to_contain_text("2")  # the preview follows the pick
    box.press("Backspace")
    expect(chips).to_have_count(0)

    # several picks: each adds a chip
    box.press_sequentially("湖")
    offered(2)
    box.press("ArrowDown")
    box.press("Enter")
    box.press_sequentially("南岭")
    offered(1)
    box.press("ArrowDown")
    box.press("Enter")
    expect(chips).to_have_count(2)
    assert chips.all_inner_texts()[0].startswith("东湖镇")
    assert chips.all_inner_texts()[1].startswith("南岭乡")
    expect(page.get_by_test_id("matched")).to_contain_text("3")

    # nothing is wider than the screen (the phone is 360 px wide)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # saving invites the cadres of the two chosen units' subtrees, and only them
    page.get_by_test_id("add-respondents").click()
    page.wait_for_url(f"**/needs/{survey.pk}/respondents/**")
    with unscoped():
        invited = set(Respondent.objects.filter(survey=survey).values_list("name", flat=True))
    assert invited == {"张三", "李四", "王五"}
